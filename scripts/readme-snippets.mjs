#!/usr/bin/env node
// README code is tested: every ```ts / ```typescript block of the root README and each package's
// README is typechecked (strict, NodeNext, no DOM lib) against the built packages, as a user who
// pastes it would; the blocks marked runnable (`<!-- runnable -->` on the line before, or
// ```ts runnable) are then run, in order, on the memory adapters. Run `npm run build` first.
//
// A README's blocks read as one program, in order: a later block may use what an earlier one
// declared. So each README becomes one module: its blocks' bodies in order, their imports merged.
//
//   node scripts/readme-snippets.mjs [README...]
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const repo = resolve(".");
// Inside the repository so `@portside/*` resolves as for a user (node_modules, built dist).
const work = join(repo, "node_modules", ".cache", "readme-snippets");

const readmes =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [
        "README.md",
        ...readdirSync("packages")
          .map((name) => join("packages", name, "README.md"))
          .filter(existsSync),
      ];

/** The TypeScript blocks of a README: `{ code, line (of the first code line), runnable }`. */
function blocks(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!fence) continue;
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === "") previous--;
    const runnable = /\brunnable\b/.test(fence[2]) || lines[previous]?.trim() === "<!-- runnable -->";
    const end = lines.indexOf("```", i + 1);
    found.push({ code: lines.slice(i + 1, end).join("\n"), line: i + 2, runnable });
    i = end;
  }
  return found;
}

const IMPORT = /^import\s+(?:([\s\S]*?)\s+from\s+)?"([^"]+)";?[ \t]*$/gm;

/** One module from blocks: merged imports, then each body in order; `map[i]` is output line i's README line. */
function program(file, chosen) {
  const imports = new Map();
  const body = [];
  const map = [];
  for (const block of chosen) {
    const code = block.code.replace(IMPORT, (statement, clause, from) => {
      addImport(imports, clause, from);
      return "\n".repeat(statement.split("\n").length - 1);
    });
    code.split("\n").forEach((text, i) => {
      body.push(text);
      map.push(`${file}:${block.line + i}`);
    });
  }
  const head = [...imports].map(([from, clause]) => importStatement(from, clause));
  return { text: [...head, "export {};", ...body].join("\n"), map: [...head.map(() => file), file, ...map] };
}

function addImport(imports, clause, from) {
  const entry = imports.get(from) ?? { default: null, namespace: null, named: new Map() };
  imports.set(from, entry);
  if (!clause) return;
  const named = /\{([\s\S]*)\}/.exec(clause);
  const rest = clause
    .replace(/\{[\s\S]*\}/, "")
    .replace(/,/g, " ")
    .trim();
  const namespace = /\*\s+as\s+(\w+)/.exec(rest);
  if (namespace) entry.namespace = namespace[1];
  else if (rest && rest !== "type") entry.default = rest.replace(/^type\s+/, "");
  for (const item of (named?.[1] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const typeOnly = item.startsWith("type ") || clause.trimStart().startsWith("type ");
    const name = item.replace(/^type\s+/, "");
    // A name imported as a value in one block and as a type in another is imported as a value.
    entry.named.set(name, (entry.named.get(name) ?? true) && typeOnly);
  }
}

function importStatement(from, { default: def, namespace, named }) {
  const parts = [];
  if (def) parts.push(def);
  if (namespace) parts.push(`* as ${namespace}`);
  if (named.size > 0) {
    parts.push(`{ ${[...named].map(([name, typeOnly]) => (typeOnly ? `type ${name}` : name)).join(", ")} }`);
  }
  return parts.length > 0 ? `import ${parts.join(", ")} from "${from}";` : `import "${from}";`;
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(join(work, "package.json"), '{ "type": "module", "private": true }\n');
writeFileSync(
  join(work, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2023"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
    },
    include: ["*.ts"],
  }),
);

const maps = new Map();
const runs = [];
let total = 0;
for (const readme of readmes) {
  const found = blocks(readme);
  if (found.length === 0) continue;
  total += found.length;
  const name = relative(repo, resolve(readme)).replace(/\W+/g, "-");
  const all = program(readme, found);
  writeFileSync(join(work, `${name}.ts`), all.text);
  maps.set(`${name}.ts`, all.map);
  const runnable = found.filter((b) => b.runnable);
  if (runnable.length > 0) {
    const run = program(readme, runnable);
    writeFileSync(join(work, `${name}.run.mts`), run.text);
    runs.push({ readme, file: `${name}.run.mts`, count: runnable.length });
  }
}

const failures = [];
const tsc = spawnSync(join(repo, "node_modules", ".bin", "tsc"), ["-p", work, "--pretty", "false"], {
  encoding: "utf8",
});
for (const line of tsc.stdout.split("\n").filter(Boolean)) {
  const at = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
  const where = at ? maps.get(at[1].split("/").pop())?.[Number(at[2]) - 1] : undefined;
  failures.push(where ? `${where}: ${at[4]}` : line);
}
process.stdout.write(`typechecked ${total} blocks of ${maps.size} READMEs: ${failures.length} errors\n`);

/** A user sets their own secrets: each unset `process.env.X_SECRET` / `X_KEY` the code reads gets 32 random bytes. */
function secrets(code) {
  const names = [...code.matchAll(/process\.env\.([A-Z0-9_]+_(?:SECRET|KEY))\b/g)].map((m) => m[1]);
  return Object.fromEntries(
    names.filter((n) => !process.env[n]).map((n) => [n, randomBytes(32).toString("base64")]),
  );
}

for (const { readme, file, count } of runs) {
  const result = spawnSync(process.execPath, ["--import", "tsx", file], {
    cwd: work,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ...secrets(readFileSync(join(work, file), "utf8")), NODE_NO_WARNINGS: "1" },
  });
  if (result.status === 0) process.stdout.write(`ran ${count} runnable blocks of ${readme}\n`);
  else
    failures.push(
      `${readme}: running its ${count} runnable blocks failed\n${result.stderr || result.stdout}`,
    );
}

if (failures.length > 0) {
  process.stderr.write(`\nREADME snippets failed:\n${failures.join("\n")}\n`);
  process.exit(1);
}
