import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** This module's own path, in the ESM build, the CommonJS build (no `import.meta`) and the sources. */
function ownPath(): string {
  const url = (import.meta as { url?: string }).url;
  return url === undefined ? __filename : fileURLToPath(url);
}

/**
 * Where the worker's code is. Built, it is `dist/resolve-worker.{js,cjs}` beside the
 * bundle that creates the pool; from the TypeScript sources (tests, `tsx`), the worker
 * registers tsx's loader first, so it is started from a small script.
 */
export function workerScript(): { url: URL | string; execArgv?: string[] } {
  const here = ownPath();
  const dir = dirname(here);
  if (here.endsWith(".ts")) {
    const tsx = dirname(createRequire(here).resolve("tsx/package.json"));
    const api = pathToFileURL(join(tsx, "dist/esm/api/index.mjs")).href;
    const worker = pathToFileURL(join(dir, "resolve-worker.ts")).href;
    return {
      url: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`,
      execArgv: [],
    };
  }
  const file = `resolve-worker.${here.endsWith(".cjs") ? "cjs" : "js"}`;
  for (const candidate of [join(dir, file), join(dir, "..", file)]) {
    if (existsSync(candidate)) return { url: pathToFileURL(candidate) };
  }
  throw new Error(`the resolver worker ${file} is missing beside ${here}`);
}
