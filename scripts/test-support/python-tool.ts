import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/**
 * The Python of a virtual environment holding a pinned PyPI package (`cfn-lint==1.58.0`),
 * installed once under the cache folder the test command uses for moto. Run the tool as
 * `python -m <module>`: the environment is built in a staging folder and renamed, so its
 * scripts' shebangs point at the staging path.
 */
export function pythonWith(requirement: string): string {
  const cache =
    process.env.PORTSIDE_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "portside");
  const venv = join(cache, requirement.replace(/[^A-Za-z0-9.-]+/g, "-"));
  const python = join(venv, "bin", "python");
  if (existsSync(join(venv, ".complete"))) return python;
  const staging = `${venv}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  run(process.env.PYTHON ?? "python3", ["-m", "venv", staging]);
  run(join(staging, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", requirement]);
  writeFileSync(join(staging, ".complete"), `${requirement}\n`);
  rmSync(venv, { recursive: true, force: true });
  renameSync(staging, venv);
  return python;
}
