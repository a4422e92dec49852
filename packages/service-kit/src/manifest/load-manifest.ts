import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import { parseManifest } from "./parse-manifest.js";
import type { Manifest } from "./schema.js";

/** The manifest file names looked for, in order. */
export const manifestFileNames = [
  "portside.services.json",
  "portside.services.ts",
  "portside.services.mjs",
] as const;

/** A parsed manifest and the file it came from. */
export interface LoadedManifest {
  readonly manifest: Manifest;
  /** The manifest file; generated services and local state live relative to its folder. */
  readonly path: string;
}

/** The nearest manifest file at or above `from`. */
export function findManifest(from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of manifestFileNames) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Reads and validates a manifest: JSON, or a module whose default export is the manifest (`.ts` needs a TypeScript-aware runtime such as tsx). */
export async function loadManifest(path = findManifest()): Promise<LoadedManifest> {
  if (!path || !existsSync(path)) {
    throw new ServiceKitError(
      ServiceKitErrorCode.manifestNotFound,
      `No ${manifestFileNames.join(" or ")} found${path ? ` at ${path}` : " here or above"}`,
    );
  }
  let input: unknown;
  try {
    input = path.endsWith(".json")
      ? JSON.parse(readFileSync(path, "utf8"))
      : ((await import(pathToFileURL(path).href)) as { default: unknown }).default;
  } catch (error) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidManifest,
      `Cannot read ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return { manifest: parseManifest(input, path), path };
}
