import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import { deriveNames } from "../manifest/derived-names.js";
import type { Manifest, ServiceEntry } from "../manifest/schema.js";

export interface DevProcess {
  readonly service: string;
  readonly port: number;
  readonly child: ChildProcess;
}

export interface RunDevOptions {
  readonly manifest: Manifest;
  /** The manifest file; services live in folders relative to it. */
  readonly manifestPath: string;
  readonly services: readonly ServiceEntry[];
  readonly env?: Record<string, string | undefined>;
  /** Receives each output line, prefixed with the service's name. */
  readonly print?: (line: string) => void;
}

function prefixLines(name: string, print: (line: string) => void) {
  let partial = "";
  return (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) print(`[${name}] ${line}`);
  };
}

/**
 * Runs each service's `dev` script in its folder (`services/<name>`, as `portside new` writes
 * it), with `PORT` set to its dev port and embedded defaults unless the environment configures
 * otherwise. Output lines are prefixed with the service's name.
 */
export function runDev(options: RunDevOptions): DevProcess[] {
  const print = options.print ?? ((line: string) => console.log(line));
  const root = dirname(options.manifestPath);
  const missing = options.services.filter(
    (s) => !existsSync(join(root, deriveNames(options.manifest, s, "dev").directory, "package.json")),
  );
  if (missing.length > 0) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidArguments,
      `No package for ${missing.map((s) => s.name).join(", ")}; create it with: ${missing.map((s) => `portside new ${s.name}`).join(" && ")}`,
    );
  }
  return options.services.map((service) => {
    const cwd = join(root, deriveNames(options.manifest, service, "dev").directory);
    const child = spawn("npm", ["run", "--silent", "dev"], {
      cwd,
      env: { ...process.env, ...options.env, PORT: String(service.devPort) },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so stopping it stops what `npm run` started too (npm does not pass SIGTERM on).
      detached: true,
    });
    child.stdout?.on("data", prefixLines(service.name, print));
    child.stderr?.on("data", prefixLines(service.name, print));
    return { service: service.name, port: service.devPort, child };
  });
}

/** Stops every dev process and waits for each to exit. */
export async function stopDev(processes: readonly DevProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          try {
            process.kill(-(child.pid as number), "SIGTERM");
          } catch {
            child.kill("SIGTERM");
          }
        }),
    ),
  );
}
