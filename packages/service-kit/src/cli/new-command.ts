import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import { describeNewService, planNewService, writeNewService } from "../generator/generate-service.js";
import { manifestWithEntry, writeManifestEntry } from "../generator/manifest-entry.js";

export interface NewCommandOptions {
  readonly name: string | undefined;
  readonly domains?: string;
  readonly port?: string;
  readonly manifestPath?: string;
  readonly dryRun: boolean;
  /** Run `npm install` in the manifest's folder afterwards. */
  readonly install: boolean;
  readonly portsideRange: string;
  readonly peerRanges?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly print: (line: string) => void;
}

function port(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidArguments,
      `--port: '${value}' is not a port number`,
    );
  }
  return parsed;
}

/** `portside new <name>`: the service's package in its derived folder, never overwriting. */
export async function runNewCommand(options: NewCommandOptions): Promise<void> {
  if (!options.name) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidArguments,
      "Usage: portside new <name> [--domains a,b --port n]",
    );
  }
  const cwd = options.cwd ?? process.cwd();
  const devPort = port(options.port);
  const found = await manifestWithEntry(
    options.name,
    {
      ...(options.domains ? { domains: options.domains.split(",").map((d) => d.trim()) } : {}),
      ...(devPort === undefined ? {} : { devPort }),
    },
    { cwd, ...(options.manifestPath ? { manifestPath: options.manifestPath } : {}) },
  );
  const plan = planNewService({
    manifest: found.manifest,
    manifestPath: found.path,
    service: found.service,
    portsideRange: options.portsideRange,
    ...(options.peerRanges ? { peerRanges: options.peerRanges } : {}),
  });
  const dry = options.dryRun ? " (dry run)" : "";
  options.print(`portside new ${options.name}${dry}`);
  if (found.write !== undefined) options.print(`add entry  ${relative(cwd, found.path)} (${options.name})`);
  for (const line of describeNewService(plan, cwd)) options.print(line);
  if (options.dryRun) return;
  writeManifestEntry(found);
  writeNewService(plan);
  if (options.install) {
    options.print(`npm install in ${relative(cwd, plan.root) || "."}`);
    const result = spawnSync("npm", ["install"], { cwd: plan.root, stdio: "inherit" });
    if (result.status !== 0) {
      throw new ServiceKitError(ServiceKitErrorCode.commandFailed, "npm install failed", {
        details: { status: result.status },
      });
    }
  }
  options.print(`Run it: portside dev ${options.name}`);
}
