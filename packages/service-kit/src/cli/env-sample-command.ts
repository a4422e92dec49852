import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import { envSample } from "../generator/service-templates.js";
import { deriveNames } from "../manifest/derived-names.js";
import type { Manifest, ServiceEntry } from "../manifest/schema.js";

/** Options of `portside env-sample`. */
export interface EnvSampleCommandOptions {
  readonly manifest: Manifest;
  readonly manifestPath: string;
  readonly services: readonly ServiceEntry[];
  /** Fail when a service's `.env.sample` differs, writing nothing (for CI). */
  readonly check: boolean;
  readonly dryRun: boolean;
  readonly print: (line: string) => void;
}

/**
 * `portside env-sample`: renders each selected service's `.env.sample` from its domains' config
 * schemas, as `portside new` wrote it, so it follows the kit's keys as they change. `--check`
 * fails on drift instead of writing.
 */
export function runEnvSampleCommand(options: EnvSampleCommandOptions): void {
  const root = dirname(options.manifestPath);
  const drifted: string[] = [];
  for (const service of options.services) {
    const directory = join(root, deriveNames(options.manifest, service, "dev").directory);
    if (!existsSync(join(directory, "package.json"))) {
      options.print(`skip (no package)  ${service.name}: create it with portside new ${service.name}`);
      continue;
    }
    const path = join(directory, ".env.sample");
    const expected = envSample({ service });
    const actual = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const label = relative(process.cwd(), path);
    if (actual === expected) {
      options.print(`unchanged  ${label}`);
      continue;
    }
    drifted.push(service.name);
    options.print(`${options.check ? "differs" : actual === undefined ? "create" : "update"}  ${label}`);
    if (!options.check && !options.dryRun) writeFileSync(path, expected);
  }
  if (options.check && drifted.length > 0) {
    throw new ServiceKitError(
      ServiceKitErrorCode.commandFailed,
      `.env.sample of ${drifted.join(", ")} differs from the domains' config schemas; run: portside env-sample ${drifted.join(" ")}`,
      { details: { services: drifted } },
    );
  }
}
