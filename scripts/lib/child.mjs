import { spawn, spawnSync } from "node:child_process";

/** Runs a command to completion, throwing with its output when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Starts a long-running service; keeps the tail of its output for error messages. */
export function startService(name, command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exit = null;
  child.on("error", (error) => {
    exit = `${name} could not start: ${error.message}`;
  });
  child.on("exit", (code, signal) => {
    exit = `${name} exited (${signal ?? code})\n${output}`;
  });
  return {
    child,
    exited: () => exit,
    output: () => output,
    stop: (signal = "SIGTERM", timeoutMs = 10_000) =>
      new Promise((resolve) => {
        if (exit !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(signal);
      }),
  };
}
