import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The shared data directory that sits beside the repository (`<repo>/../shared/data`),
 * or `PORTSIDE_SHARED_DATA` when set. Used by tests and benchmarks, never by the library.
 */
export function sharedDataDir(): string {
  const fromEnv = process.env.PORTSIDE_SHARED_DATA;
  if (fromEnv) return fromEnv;
  return fileURLToPath(new URL("../../../../../shared/data/", import.meta.url));
}

/** The Rez benchmark data set directory (README, packages.json, requests.json, resolves.json). */
export function rezBenchmarkDir(): string {
  const dir = join(sharedDataDir(), "rez-benchmark");
  if (!existsSync(dir)) {
    throw new Error(
      `Rez benchmark data not found at ${dir}; set PORTSIDE_SHARED_DATA to the shared/data directory`,
    );
  }
  return dir;
}
