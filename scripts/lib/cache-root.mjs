import { homedir } from "node:os";
import { join } from "node:path";

/** Where the test command keeps what it installs (moto's venv, ElasticMQ's JARs): outside the repo. */
export function cacheRoot() {
  return (
    process.env.PORTSIDE_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "portside")
  );
}
