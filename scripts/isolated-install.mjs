#!/usr/bin/env node
// Packs every package as npm would publish it, checks what each tarball holds, then, for each
// subpath, installs the tarball into an empty project outside the repository with exactly the
// peers the package README's install block names for that subpath, and imports the subpath from
// ESM and from CJS. Run `npm run build` first. Installs come from the npm cache where it can.
//
// README install block (the first ```sh block that installs the package): a line without a subpath in its comment is what
// every subpath needs; a line whose comment names subpaths (`./pg`, `@portside/x/y`) is what
// those subpaths need on top (`node scripts/isolated-install.mjs <package...>` checks only those):
//   npm install @portside/event-recorder
//   npm install pg                                  # ./pg
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(".");
const work = mkdtempSync(join(tmpdir(), "portside-isolated-"));
const problems = [];

const packages = readdirSync("packages")
  .map((name) => resolve("packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));

/** `npm pack` into the work folder; checks the tarball holds only what a user needs. */
function pack({ dir, pkg }) {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", work], {
    cwd: dir,
    encoding: "utf8",
  });
  const [result] = JSON.parse(out);
  const allowed = /^(LICENSE|README\.md|CHANGELOG\.md|package\.json|dist\/.+)$/;
  const bins = new Set(Object.values(pkg.bin ?? {}).map((path) => path.replace(/^\.\//, "")));
  for (const { path } of result.files) {
    if (!allowed.test(path) && !bins.has(path)) problems.push(`${pkg.name} tarball holds ${path}`);
  }
  for (const required of ["LICENSE", "README.md", "CHANGELOG.md", "package.json"]) {
    if (!result.files.some((f) => f.path === required))
      problems.push(`${pkg.name} tarball lacks ${required}`);
  }
  return { tarball: join(work, result.filename), size: result.size, unpackedSize: result.unpackedSize };
}

/** What the README's install block says each subpath needs: `{ base: string[], bySubpath: Map }`. */
function installLines({ dir, pkg }) {
  const file = join(dir, "README.md");
  const readme = existsSync(file) ? readFileSync(file, "utf8") : "";
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => new RegExp(`^npm (install|i) ${pkg.name}\\b`, "m").test(b)) ?? "";
  const base = [];
  const bySubpath = new Map();
  for (const line of block.split("\n")) {
    const match = /^npm (?:install|i) ([^#]*)(?:#(.*))?$/.exec(line.trim());
    if (!match) continue;
    const names = match[1].split(/\s+/).filter((t) => t && !t.startsWith("-"));
    const named = [
      ...(match[2] ?? "").matchAll(/(?:^|[\s,(])(\.\/[a-z0-9-]+|@portside\/[a-z0-9-]+(?:\/[a-z0-9-]+)?)/g),
    ]
      .map((m) => (m[1].startsWith("./") ? `${pkg.name}${m[1].slice(1)}` : m[1]))
      .map((s) =>
        s === pkg.name ? "." : s.startsWith(`${pkg.name}/`) ? `.${s.slice(pkg.name.length)}` : null,
      );
    if (named.length === 0) base.push(...names);
    for (const subpath of named.filter(Boolean))
      bySubpath.set(subpath, [...(bySubpath.get(subpath) ?? []), ...names]);
  }
  if (!base.includes(pkg.name))
    problems.push(`${pkg.name} README install block does not install ${pkg.name}`);
  for (const name of [...base, ...[...bySubpath.values()].flat()]) {
    const known =
      name === pkg.name || name in (pkg.dependencies ?? {}) || name in (pkg.peerDependencies ?? {});
    if (!known)
      problems.push(`${pkg.name} README installs ${name}, neither a dependency nor a declared peer`);
  }
  return { base, bySubpath };
}

/** A dependency spec: our packages from their tarballs, others at the version the repository tests with. */
function spec(name, tarballs) {
  if (tarballs.has(name)) return `file:${tarballs.get(name)}`;
  const installed = join(repo, "node_modules", name, "package.json");
  return existsSync(installed) ? JSON.parse(readFileSync(installed, "utf8")).version : "*";
}

function run(command, args, cwd) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => done({ code, output }));
  });
}

const importAll = (specifiers, how) =>
  specifiers
    .map(
      (s) =>
        `try { ${how(s)}; } catch (e) { failed.push(${JSON.stringify(s)} + ": " + e.message.split("\\n")[0]); }`,
    )
    .join("\n");

async function checkGroup({ name, peers, subpaths }, tarballs) {
  const cwd = join(
    work,
    `${name.replace(/\W+/g, "_")}-${subpaths.length}-${peers.length}-${Math.random().toString(36).slice(2, 8)}`,
  );
  mkdirSync(cwd);
  const names = [name, ...peers.filter((p) => p !== name)];
  const dependencies = Object.fromEntries(names.map((n) => [n, spec(n, tarballs)]));
  // Our packages' dependencies on each other (e.g. @portside/http) come from the tarballs too.
  const overrides = Object.fromEntries(
    [...tarballs].filter(([pkg]) => !names.includes(pkg)).map(([pkg]) => [pkg, spec(pkg, tarballs)]),
  );
  writeFileSync(join(cwd, "package.json"), JSON.stringify({ private: true, dependencies, overrides }));
  const flags = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"];
  const install = await run("npm", ["install", ...flags], cwd);
  if (install.code !== 0) return [`${name} [${peers.join(" ")}]: npm install failed\n${install.output}`];
  const specifiers = subpaths.map((s) => (s === "." ? name : `${name}${s.slice(1)}`));
  const esm = `const failed = [];\n${importAll(specifiers, (s) => `await import(${JSON.stringify(s)})`)}\nif (failed.length) { console.log(failed.join("\\n")); process.exit(1); }`;
  const cjs = `const failed = [];\n${importAll(specifiers, (s) => `require(${JSON.stringify(s)})`)}\nif (failed.length) { console.log(failed.join("\\n")); process.exit(1); }`;
  writeFileSync(join(cwd, "esm.mjs"), esm);
  writeFileSync(join(cwd, "cjs.cjs"), cjs);
  const results = [];
  // Vitest refuses require(): a subpath that needs it (a conformance suite) loads from ESM only,
  // as it does inside a vitest run.
  const kinds = peers.includes("vitest")
    ? [["ESM", "esm.mjs"]]
    : [
        ["ESM", "esm.mjs"],
        ["CJS", "cjs.cjs"],
      ];
  for (const [kind, file] of kinds) {
    const { code, output } = await run("node", [file], cwd);
    if (code !== 0) results.push(`${kind} with only [${peers.join(" ") || "no peers"}]:\n${output.trim()}`);
    else process.stdout.write(`ok  ${kind} ${specifiers.join(" ")}  peers: ${peers.join(" ") || "none"}\n`);
  }
  if (subpaths.includes(".")) results.push(...(await checkBins(name, peers, cwd)));
  return results;
}

/** Each CLI answers --version and --help with only the base install (no pg, no SDK). */
async function checkBins(name, peers, cwd) {
  const { pkg } = packages.find((p) => p.pkg.name === name);
  const results = [];
  for (const bin of Object.keys(pkg.bin ?? {})) {
    const launcher = join(cwd, "node_modules", ".bin", bin);
    const version = await run(launcher, ["--version"], cwd);
    const help = await run(launcher, ["--help"], cwd);
    if (version.code !== 0 || version.output.trim() !== pkg.version) {
      results.push(`${bin} --version with only [${peers.join(" ") || "no peers"}]: ${version.output.trim()}`);
    } else if (help.code !== 0 || !help.output.includes(bin)) {
      results.push(`${bin} --help with only [${peers.join(" ") || "no peers"}]: ${help.output.trim()}`);
    } else process.stdout.write(`ok  ${bin} --version and --help  peers: ${peers.join(" ") || "none"}\n`);
  }
  return results;
}

const tarballs = new Map();
const sizes = [];
for (const entry of packages) {
  const packed = pack(entry);
  tarballs.set(entry.pkg.name, packed.tarball);
  sizes.push({ name: entry.pkg.name, size: packed.size, unpackedSize: packed.unpackedSize });
}

const groups = new Map();
for (const entry of packages) {
  const { base, bySubpath } = installLines(entry);
  const subpaths = Object.keys(entry.pkg.exports).filter((s) => s !== "./package.json");
  for (const subpath of subpaths) {
    const peers = [...new Set([...base, ...(bySubpath.get(subpath) ?? [])])]
      .filter((n) => n !== entry.pkg.name)
      .sort();
    const key = `${entry.pkg.name} ${peers.join(" ")}`;
    if (!groups.has(key)) groups.set(key, { name: entry.pkg.name, peers, subpaths: [] });
    groups.get(key).subpaths.push(subpath);
  }
}

// `node scripts/isolated-install.mjs dj-room adapters-aws` checks only those packages' subpaths.
const only = process.argv.slice(2).map((name) => `@portside/${name}`);
const queue = [...groups.values()].filter((g) => only.length === 0 || only.includes(g.name));
// Installs wait on the disk more than the CPU: four at a time keeps a 2-core machine busy.
const workers = Array.from({ length: 4 }, async () => {
  while (queue.length > 0) problems.push(...(await checkGroup(queue.shift(), tarballs)));
});
await Promise.all(workers);
rmSync(work, { recursive: true, force: true });

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
process.stdout.write(`\n${"package".padEnd(28)} ${"tarball".padStart(10)} ${"unpacked".padStart(10)}\n`);
for (const { name, size, unpackedSize } of sizes) {
  process.stdout.write(`${name.padEnd(28)} ${kib(size).padStart(10)} ${kib(unpackedSize).padStart(10)}\n`);
}
if (problems.length > 0) {
  process.stderr.write(`\nisolated install failed:\n${problems.map((p) => `- ${p}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write("\nevery subpath loads with only its documented peers, from ESM and CJS\n");
