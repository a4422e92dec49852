#!/usr/bin/env node
// `npm run check`: every static check, each package at a time, failing on any finding.
// Run `npm run build` first: publint, attw and the examples' typecheck read the built output.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const packages = readdirSync("packages").map((name) => `packages/${name}`);
const examples = readdirSync("examples", { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `examples/${entry.name}`);
const steps = [
  ["biome", ["biome", "check", "."]],
  ["packaging fields derived from each package's exports", ["node", "scripts/package-fields.mjs"]],
  [".env.sample matches the config schema", ["node", "scripts/env-sample.mjs", "--check"]],
  ...packages.map((dir) => [`typecheck ${dir}`, ["tsc", "-p", dir]]),
  ...packages.map((dir) => [`publint ${dir}`, ["publint", "--strict", dir]]),
  ...packages.map((dir) => [`attw ${dir}`, ["attw", "--pack", dir, "--format", "table-flipped"]]),
  ...examples.map((dir) => [`typecheck ${dir} against the built packages`, ["tsc", "-p", dir]]),
  ["type-level test: the classic mistakes fail to compile", ["tsc", "-p", "test/types"]],
  [
    "every import path's types load without the DOM lib, declarations checked",
    ["tsc", "-p", "test/types/tsconfig.every-subpath.json"],
  ],
  ["README snippets typecheck, and the runnable ones run", ["node", "scripts/readme-snippets.mjs"]],
  [
    "tarballs, and each subpath installed alone with its README's peers",
    ["node", "scripts/isolated-install.mjs"],
  ],
  ["API reference (TypeDoc): every exported symbol documented", ["node", "scripts/docs.mjs", "--strict"]],
  [
    "release dry run: planned versions, then pack and publish --dry-run",
    ["node", "scripts/release.mjs", "--dry-run", "--no-build", "--no-check"],
  ],
];

const failed = [];
for (const [name, [command, ...args]] of steps) {
  process.stdout.write(`\n== ${name}\n`);
  const argv = command === "node" ? [command, args] : ["npx", ["--no-install", command, ...args]];
  const result = spawnSync(...argv, { stdio: "inherit" });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  process.stderr.write(`\ncheck failed:\n${failed.map((f) => `  - ${f}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write("\ncheck passed\n");
