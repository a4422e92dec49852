#!/usr/bin/env node
// The release: version (changesets writes versions and each package's CHANGELOG.md), build,
// check, then pack and publish every public package with npm provenance, dependencies first.
//
//   node scripts/release.mjs             release (from CI with an npm token and id-token: write)
//   node scripts/release.mjs --dry-run   show the planned versions, pack and `npm publish --dry-run`
//                                        each package; changes nothing
//   --no-build / --no-check              skip those steps (npm run check runs the dry run this way)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = new Set(process.argv.slice(2));
const dryRun = args.has("--dry-run");

function step(name, command, commandArgs, options = {}) {
  process.stdout.write(`\n== release: ${name}\n`);
  const result = spawnSync(command, commandArgs, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    process.stderr.write(`release stopped: ${name} failed\n`);
    process.exit(result.status ?? 1);
  }
}

/** Public packages, each after the @portside packages it depends on or peers with. */
function publishOrder() {
  const packages = readdirSync("packages")
    .map((name) => join("packages", name))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ pkg }) => !pkg.private);
  const ordered = [];
  const visit = (entry, path = []) => {
    if (ordered.includes(entry)) return;
    if (path.includes(entry)) throw new Error(`dependency cycle: ${[...path, entry].map((e) => e.pkg.name)}`);
    const needs = Object.keys({ ...entry.pkg.dependencies, ...entry.pkg.peerDependencies });
    for (const other of packages.filter((p) => needs.includes(p.pkg.name))) visit(other, [...path, entry]);
    ordered.push(entry);
  };
  for (const entry of packages) visit(entry);
  return ordered;
}

if (dryRun) {
  const plan = join(mkdtempSync(join(tmpdir(), "portside-release-")), "plan.json");
  step("planned versions (changeset status)", "npx", [
    "--no-install",
    "changeset",
    "status",
    "--output",
    plan,
  ]);
  const { releases } = JSON.parse(readFileSync(plan, "utf8"));
  for (const r of releases)
    process.stdout.write(`  ${r.name}: ${r.oldVersion} -> ${r.newVersion} (${r.type})\n`);
  rmSync(plan, { force: true });
} else {
  step("version", "npx", ["--no-install", "changeset", "version"]);
}
if (!args.has("--no-build")) step("build", "npm", ["run", "build"]);
if (!args.has("--no-check")) step("check", "npm", ["run", "check"]);
const published = (pkg) =>
  spawnSync("npm", ["view", `${pkg.name}@${pkg.version}`, "version"], { encoding: "utf8" }).stdout.trim() !==
  "";
for (const { dir, pkg } of publishOrder()) {
  if (!dryRun && published(pkg)) {
    process.stdout.write(`\n== release: ${pkg.name}@${pkg.version} is on the registry already\n`);
    continue;
  }
  const publish = ["publish", "--provenance", "--access", "public", ...(dryRun ? ["--dry-run"] : [])];
  step(`${dryRun ? "pack and publish --dry-run" : "publish"} ${pkg.name}@${pkg.version}`, "npm", publish, {
    cwd: dir,
  });
}
if (!dryRun) step("tag", "npx", ["--no-install", "changeset", "tag"]);
