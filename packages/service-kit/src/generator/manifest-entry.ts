import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import { findManifest, loadManifest, manifestFileNames } from "../manifest/load-manifest.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import type { Manifest, ManifestInput, ServiceEntry, ServiceEntryInput } from "../manifest/schema.js";

/** The entry to add when the manifest has none for the service (`--domains a,b --port N`). */
export interface NewEntryOptions {
  readonly domains?: readonly string[];
  readonly devPort?: number;
}

/** The manifest with the service's entry, and whether the entry is new (to write unless dry-running). */
export interface ManifestWithEntry {
  readonly manifest: Manifest;
  readonly path: string;
  readonly service: ServiceEntry;
  /** The JSON to write when the entry was added. */
  readonly write?: string;
}

function missingEntry(name: string, path: string | undefined): ServiceKitError {
  return new ServiceKitError(
    ServiceKitErrorCode.invalidArguments,
    `${path ? `${path} has no service '${name}'` : `No ${manifestFileNames.join(" or ")} here or above`}: add its entry first, or pass --domains <a,b> --port <n> to add it`,
  );
}

/**
 * Finds the service's manifest entry. Without one, and given the domains and a dev port, adds it
 * to the JSON manifest (creating `portside.services.json` in `cwd` when there is none).
 */
export async function manifestWithEntry(
  name: string,
  entry: NewEntryOptions,
  options: { cwd?: string; manifestPath?: string } = {},
): Promise<ManifestWithEntry> {
  const cwd = options.cwd ?? process.cwd();
  const path = options.manifestPath ?? findManifest(cwd);
  const loaded = path ? await loadManifest(path) : undefined;
  const existing = loaded?.manifest.services.find((s) => s.name === name);
  if (loaded && existing) return { manifest: loaded.manifest, path: loaded.path, service: existing };
  if (!entry.domains || entry.devPort === undefined) throw missingEntry(name, path);
  if (path && !path.endsWith(".json")) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidArguments,
      `${path} is a module: add the entry for '${name}' there yourself`,
    );
  }
  const target = path ?? join(cwd, manifestFileNames[0]);
  const input = (path ? JSON.parse(readFileSync(path, "utf8")) : { services: [] }) as ManifestInput;
  const added: ServiceEntryInput = {
    name,
    devPort: entry.devPort,
    domains: entry.domains as ServiceEntryInput["domains"],
  };
  const next = { ...input, services: [...input.services, added] };
  const manifest = parseManifest(next, target);
  const service = manifest.services.find((s) => s.name === name) as ServiceEntry;
  return { manifest, path: target, service, write: `${JSON.stringify(next, null, 2)}\n` };
}

/** Writes the manifest with its new entry. */
export function writeManifestEntry(result: ManifestWithEntry): void {
  if (result.write !== undefined) writeFileSync(result.path, result.write);
}
