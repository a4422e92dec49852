import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where the test command keeps what it installs (moto's venv, ElasticMQ's JARs): outside the repo. */
export function cacheRoot() {
  return (
    process.env.PORTSIDE_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "portside")
  );
}

/**
 * Installs `what` into the cache folder `name` once: `build(staging)` fills a staging folder,
 * which is renamed into place only when complete, so an interrupted install is redone. Returns
 * the folder.
 */
export function installOnce(name, what, build) {
  const dir = join(cacheRoot(), name);
  if (existsSync(join(dir, ".complete"))) return dir;
  const staging = `${dir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  process.stderr.write(`[services] installing ${what} into ${dir} (once)\n`);
  build(staging);
  writeFileSync(join(staging, ".complete"), `${what}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}
