import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

interface PackageJson {
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
}

/**
 * Builds a package to ESM and CJS with types for both. Entries come from the
 * package.json exports map (subpath `./x` is `src/x/index.ts`) and its bins
 * (`./dist/y.js` is `src/y.ts`), so the build and the exports never drift.
 */
export function definePackageBuild(configUrl: string): Options {
  const dir = fileURLToPath(new URL(".", configUrl));
  const pkg = JSON.parse(readFileSync(`${dir}package.json`, "utf8")) as PackageJson;
  const entry: Record<string, string> = {};
  for (const subpath of Object.keys(pkg.exports)) {
    if (subpath === "./package.json") continue;
    const name = subpath === "." ? "index" : `${subpath.slice(2)}/index`;
    entry[name] = `src/${name}.ts`;
  }
  for (const target of Object.values(pkg.bin ?? {})) {
    const name = target.replace(/^\.\/dist\//, "").replace(/\.js$/, "");
    entry[name] = `src/${name}.ts`;
  }
  for (const [name, source] of Object.entries(entry)) {
    if (!existsSync(`${dir}${source}`))
      throw new Error(`${pkg.exports ? "exports" : "bin"} entry ${name} has no source at ${source}`);
  }
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    splitting: true,
    treeshake: true,
  }) as Options;
}
