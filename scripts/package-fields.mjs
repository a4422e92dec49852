#!/usr/bin/env node
// The packaging fields of every packages/*/package.json, derived in one place from what the package
// declares (its `exports` subpaths and its `bin`), so the fields never drift from each other:
// exports conditions, `typesVersions` (TypeScript's `moduleResolution: node10` ignores `exports`),
// main/module/types, files, sideEffects, license, every peer optional; and the LICENSE and CHANGELOG.md each tarball carries.
//
//   node scripts/package-fields.mjs           check: exit 1 and name every field that drifted
//   node scripts/package-fields.mjs --write   rewrite the fields (and copy the root LICENSE)
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LICENSE = "Apache-2.0";

/** `.` is `dist/index`, `./x` is `dist/x/index` (tsup builds `./x` from `src/x/index.ts`). */
function distBase(subpath) {
  return subpath === "." ? "./dist/index" : `./dist/${subpath.slice(2)}/index`;
}

function conditions(subpath) {
  const base = distBase(subpath);
  return {
    import: { types: `${base}.d.ts`, default: `${base}.js` },
    require: { types: `${base}.d.cts`, default: `${base}.cjs` },
  };
}

/** Every field this script owns, for one package.json. */
function packagingFields(pkg) {
  const subpaths = Object.keys(pkg.exports ?? { ".": null }).filter((s) => s !== "./package.json");
  if (!subpaths.includes(".")) subpaths.unshift(".");
  const exports = {};
  for (const subpath of subpaths) exports[subpath] = conditions(subpath);
  exports["./package.json"] = "./package.json";
  const typesVersions = {};
  for (const subpath of subpaths.filter((s) => s !== ".")) {
    typesVersions[subpath.slice(2)] = [`${distBase(subpath)}.d.cts`];
  }
  const peers = Object.keys(pkg.peerDependencies ?? {});
  return {
    license: LICENSE,
    sideEffects: false,
    files: ["dist", ...(pkg.bin ? ["bin"] : []), "CHANGELOG.md"],
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.cts",
    exports,
    // npm publish rewrites "./bin/x.js" to "bin/x.js" with a warning: write it as npm keeps it.
    ...(pkg.bin
      ? {
          bin: Object.fromEntries(
            Object.entries(pkg.bin).map(([name, path]) => [name, path.replace(/^\.\//, "")]),
          ),
        }
      : {}),
    ...(Object.keys(typesVersions).length > 0 ? { typesVersions: { "*": typesVersions } } : {}),
    // Every peer is optional: a subpath's peers are listed in the README's install block, and
    // npm must not install the peers of subpaths a user never imports.
    ...(peers.length > 0
      ? { peerDependenciesMeta: Object.fromEntries(peers.map((name) => [name, { optional: true }])) }
      : {}),
  };
}

/** The package.json with the owned fields replaced in place (new ones after `exports`). */
function withFields(pkg, fields) {
  const out = {};
  for (const [key, value] of Object.entries(pkg)) {
    if (key === "typesVersions") continue;
    out[key] = key in fields ? fields[key] : value;
    if (key === "exports" && fields.typesVersions) out.typesVersions = fields.typesVersions;
  }
  for (const [key, value] of Object.entries(fields)) if (!(key in out)) out[key] = value;
  return out;
}

function packageDirs(root = ".") {
  return readdirSync(join(root, "packages"))
    .map((name) => join(root, "packages", name))
    .filter((dir) => existsSync(join(dir, "package.json")));
}

const write = process.argv.includes("--write");
const rootLicense = readFileSync("LICENSE", "utf8");
const drift = [];
for (const dir of packageDirs()) {
  const file = join(dir, "package.json");
  const text = readFileSync(file, "utf8");
  const pkg = JSON.parse(text);
  const expected = `${JSON.stringify(withFields(pkg, packagingFields(pkg)), null, 2)}\n`;
  if (expected !== text) {
    if (write) writeFileSync(file, expected);
    else drift.push(`${file}: packaging fields differ from what scripts/package-fields.mjs derives`);
  }
  const license = join(dir, "LICENSE");
  if (!existsSync(license) || readFileSync(license, "utf8") !== rootLicense) {
    if (write) writeFileSync(license, rootLicense);
    else drift.push(`${license}: missing or not the root LICENSE`);
  }
  const changelog = join(dir, "CHANGELOG.md");
  if (!existsSync(changelog)) {
    if (write) writeFileSync(changelog, `# ${pkg.name}\n`);
    else drift.push(`${changelog}: missing (changesets writes it; the tarball carries it)`);
  }
}
if (drift.length > 0) {
  process.stderr.write(`${drift.join("\n")}\nRun: node scripts/package-fields.mjs --write\n`);
  process.exit(1);
}
