import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

interface PackageJson {
  exports: Record<string, unknown>;
}

/**
 * Builds a package to ESM and CJS with types for both. Entries come from the package.json
 * exports map (subpath `./x` is `src/x/index.ts`), so the build and the exports never drift;
 * `extraEntries` adds what no export names (a CLI: `{ cli: "src/cli.ts" }` builds `dist/cli.js`).
 */
export function definePackageBuild(configUrl: string, extraEntries: Record<string, string> = {}): Options {
  const dir = fileURLToPath(new URL(".", configUrl));
  const pkg = JSON.parse(readFileSync(`${dir}package.json`, "utf8")) as PackageJson;
  const entry: Record<string, string> = {};
  for (const subpath of Object.keys(pkg.exports)) {
    if (subpath === "./package.json") continue;
    const name = subpath === "." ? "index" : `${subpath.slice(2)}/index`;
    entry[name] = `src/${name}.ts`;
  }
  Object.assign(entry, extraEntries);
  for (const [name, source] of Object.entries(entry)) {
    if (!existsSync(`${dir}${source}`)) throw new Error(`build entry ${name} has no source at ${source}`);
  }
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: false,
    clean: true,
    target: "node20",
    splitting: true,
    treeshake: true,
  }) as Options;
}
