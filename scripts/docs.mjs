#!/usr/bin/env node
// `npm run docs`: the API reference (TypeDoc) in docs/api, one module per import path a user has:
// every subpath of every package's `exports`, named as it is imported (`@portside/registry-core/http`).
// Warns about each exported symbol without a doc comment (validation.notDocumented).
//
//   node scripts/docs.mjs            build; print the warning count (--list: and each warning)
//   node scripts/docs.mjs --strict   fail on any warning, naming each (npm run check runs this)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const repo = resolve(".");
const work = join(repo, "node_modules", ".cache", "typedoc-entries");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// One entry file per import path, re-exporting the subpath's source under the name users import.
const entryPoints = [];
// Cross-package imports read the sources too, so the reference needs no build.
const paths = {};
const packageNames = [];
for (const name of readdirSync("packages")) {
  const file = join("packages", name, "package.json");
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  if (pkg.private) continue;
  packageNames.push(pkg.name);
  for (const subpath of Object.keys(pkg.exports ?? {}).filter((s) => s !== "./package.json")) {
    const source = join(repo, "packages", name, "src", subpath === "." ? "" : subpath.slice(2), "index.ts");
    const importPath = subpath === "." ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
    const entry = join(work, `${importPath.replace(/\W+/g, "_")}.ts`);
    const target = relative(work, source).replace(/\.ts$/, ".js");
    writeFileSync(
      entry,
      `/**\n * ${pkg.description ?? importPath}\n * @module ${importPath}\n */\nexport * from "${target}";\n`,
    );
    entryPoints.push(entry);
    paths[importPath] = [source];
  }
}
writeFileSync(
  join(work, "tsconfig.json"),
  JSON.stringify({
    extends: relative(work, join(repo, "tsconfig.base.json")),
    compilerOptions: { noEmit: true, rootDir: repo, paths },
    include: ["*.ts"],
  }),
);

const readme = join(work, "README.md");
writeFileSync(
  readme,
  "# Portside API reference\n\nOne module per import path. Install lines, guides and examples are in each package's README.\n",
);

const strict = process.argv.includes("--strict");
const result = spawnSync(
  join(repo, "node_modules", ".bin", "typedoc"),
  [
    ...entryPoints,
    "--tsconfig",
    join(work, "tsconfig.json"),
    "--out",
    "docs/api",
    "--name",
    "Portside",
    "--readme",
    readme,
    "--sourceLinkTemplate",
    "https://github.com/portside-dev/portside/blob/{gitRevision}/{path}#L{line}",
    "--skipErrorChecking", // typechecking is tsc's step in npm run check
    "--excludePrivate",
    "--excludeInternal",
    "--validation.notDocumented",
    ...packageNames.flatMap((name) => ["--packagesRequiringDocumentation", name]),
    // Every exported symbol has a doc comment; their members may explain themselves by name.
    ...["Function", "Class", "Interface", "TypeAlias", "Variable", "Enum"].flatMap((kind) => [
      "--requiredToBeDocumented",
      kind,
    ]),
    "--validation.invalidLink",
    "--validation.notExported",
    ...(strict ? ["--treatWarningsAsErrors"] : []),
  ],
  { encoding: "utf8" },
);
const output = `${result.stdout}${result.stderr}`;
const warnings = output.split("\n").filter((line) => line.includes("[warning]"));
const undocumented = warnings.filter((line) => line.includes("does not have any documentation"));
if (strict || process.argv.includes("--list")) process.stdout.write(`${warnings.join("\n")}\n`);
process.stdout.write(
  `${output
    .split("\n")
    .filter((l) => !l.includes("[warning]"))
    .join("\n")
    .trim()}\n` +
    `API reference in docs/api: ${warnings.length} warnings (${undocumented.length} exported symbols without a doc comment)\n`,
);
if (result.status !== 0) process.exit(result.status ?? 1);
