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

/** What `portside dev` runs for one service: its folder and port. */
export interface DevStep {
  readonly service: string;
  readonly port: number;
  /** The service's folder, absolute. */
  readonly cwd: string;
}

/** The services' folders and ports; a service whose package does not exist yet is an error naming `portside new`. */
export function planDev(options: Omit<RunDevOptions, "env" | "print">): DevStep[] {
  const root = dirname(options.manifestPath);
  const steps = options.services.map((service) => ({
    service: service.name,
    port: service.devPort,
    cwd: join(root, deriveNames(options.manifest, service, "dev").directory),
  }));
  const missing = steps.filter((step) => !existsSync(join(step.cwd, "package.json")));
  if (missing.length > 0) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidArguments,
      `No package for ${missing.map((s) => s.service).join(", ")}; create it with: ${missing.map((s) => `portside new ${s.service}`).join(" && ")}`,
    );
  }
  return steps;
}

/**
 * Runs each service's `dev` script in its folder (`services/<name>`, as `portside new` writes
 * it), with `PORT` set to its dev port and embedded defaults unless the environment configures
 * otherwise. Output lines are prefixed with the service's name.
 */
export function runDev(options: RunDevOptions): DevProcess[] {
  const print = options.print ?? ((line: string) => console.log(line));
  return planDev(options).map(({ service, port, cwd }) => {
    const child = spawn("npm", ["run", "--silent", "dev"], {
      cwd,
      env: { ...process.env, ...options.env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so stopping it stops what `npm run` started too (npm does not pass SIGTERM on).
      detached: true,
    });
    child.stdout?.on("data", prefixLines(service, print));
    child.stderr?.on("data", prefixLines(service, print));
    return { service, port, child };
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
