#!/usr/bin/env node
// .env.sample, rendered from the one config schema the example hosts read
// (examples/services/src/config.ts, spreading the service kit's domain schemas): every key the schema has, grouped by the section schema it
// spreads, each with the doc comment it carries in its schema file and its default (parsed from
// the schema itself). A key without a doc comment keeps the comment the current .env.sample has
// right above it (the script names those keys: document them in their schema), else it follows
// the key before it.
//
//   node scripts/env-sample.mjs           write .env.sample
//   node scripts/env-sample.mjs --check   exit 1 when the committed .env.sample differs
//   --config <file> --out <file>          another schema (its folder's schemas) and output
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";
import ts from "typescript";

const { values } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    config: { type: "string", default: "examples/services/src/config.ts" },
    out: { type: "string", default: ".env.sample" },
  },
});
const CONFIG = resolve(values.config);
// The schemas live beside the config and in the service kit, whose domain modules declare them.
const SOURCES = [dirname(CONFIG), resolve("packages/service-kit/src")];
const OUTPUT = values.out;
const WIDTH = 100;

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function parse(path) {
  return ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
}

/** The text of a node's JSDoc comments, as one line. */
function docOf(node) {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

const isZodObject = (node) =>
  node &&
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  node.expression.name.text === "object" &&
  node.arguments[0] &&
  ts.isObjectLiteralExpression(node.arguments[0]);

/** Every `const xSchema = z.object({ KEY: ... })` of the sources: its doc, and each key's doc, in order. */
function objectSchemas() {
  const schemas = new Map();
  for (const file of SOURCES.flatMap(tsFiles)) {
    const visit = (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isZodObject(node.initializer)) {
        const keys = node.initializer.arguments[0].properties
          .filter(
            (p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)),
          )
          .map((p) => ({ key: p.name.text, doc: docOf(p) }));
        // The config's own folder comes first: its schemas win over the kit's of the same name.
        if (!schemas.has(node.name.text))
          schemas.set(node.name.text, { doc: docOf(node.parent.parent), keys, file });
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
  }
  return schemas;
}

/** The section schemas `configSchema` spreads (`...xSchema.shape`), in order. */
function sectionNames() {
  const names = [];
  const visit = (node) => {
    if (
      ts.isVariableDeclaration(node) &&
      node.name.getText() === "configSchema" &&
      isZodObject(node.initializer)
    ) {
      for (const p of node.initializer.arguments[0].properties) {
        if (ts.isSpreadAssignment(p) && ts.isPropertyAccessExpression(p.expression)) {
          names.push(p.expression.expression.getText());
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(CONFIG));
  return names;
}

/** `commonConfigSchema` is "common", `eventRecorderConfigSchema` is "event-recorder". */
const sectionTitle = (name) =>
  name
    .replace(/ConfigSchema$/, "")
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    .replace(/^-/, "");

function wrap(text) {
  const lines = [];
  let line = "#";
  for (const word of text.split(" ")) {
    if (line.length + word.length + 1 > WIDTH && line !== "#") {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

function defaultOf(schema) {
  const result = schema.safeParse(undefined);
  if (!result.success || result.data === undefined) return undefined;
  return typeof result.data === "string" ? result.data : JSON.stringify(result.data);
}

/** The comment lines right above each `KEY=` of an existing .env.sample (back to a blank line, a key or a section header). */
function existingComments(text) {
  const comments = new Map();
  let block = [];
  for (const line of text.split("\n")) {
    const key = /^([A-Z0-9_]+)=/.exec(line)?.[1];
    if (key && block.length > 0) comments.set(key, block);
    if (!key && line.startsWith("#") && !line.startsWith("# ---")) block.push(line);
    else block = [];
  }
  return comments;
}

function render(configSchema, previous, keptFromSample, docs) {
  const schemas = objectSchemas();
  const keys = Object.keys(configSchema.shape);
  const placed = new Set();
  const sections = sectionNames().map((name) => {
    const schema = schemas.get(name);
    const entries = (schema?.keys ?? []).filter((k) => keys.includes(k.key) && !placed.has(k.key));
    for (const entry of entries) placed.add(entry.key);
    return { title: sectionTitle(name), doc: schema?.doc ?? "", entries };
  });
  const rest = keys.filter((k) => !placed.has(k)).map((key) => ({ key, doc: "" }));
  if (rest.length > 0) sections.push({ title: "other", doc: "", entries: rest });

  const out = [
    "# Portside example hosts: every key they read. Copy to .env or export them.",
    "# With none set, `npm start` runs every service on embedded defaults (no AWS, no database server).",
    "# Generated from the config schema (examples/services/src/config.ts) and the schemas it spreads",
    "# by `node scripts/env-sample.mjs`: edit the doc comments there, not this file.",
  ];
  for (const section of sections) {
    out.push("", `# --- ${section.title} ${"-".repeat(Math.max(3, WIDTH - section.title.length - 7))}`);
    if (section.doc) out.push(...wrap(section.doc), "");
    for (const { key, doc } of section.entries) {
      const fallback = defaultOf(configSchema.shape[key]);
      const kept = doc ? undefined : previous.get(key);
      if (kept) keptFromSample.push(key);
      const lines = doc ? wrap(doc) : (kept ?? []);
      if (fallback !== undefined && !lines.some((l) => /\bdefault\b/i.test(l))) {
        if (doc) lines.splice(0, lines.length, ...wrap(`${doc} Default: ${fallback}.`));
        else lines.push(`# Default: ${fallback}.`);
      }
      if (doc) docs.set(key, lines.map((l) => l.replace(/^# ?/, "")).join(" "));
      out.push(...lines, `${key}=`);
    }
  }
  return `${out.join("\n")}\n`;
}

const { configSchema } = await tsImport(pathToFileURL(CONFIG).href, import.meta.url);
let actual = "";
try {
  actual = readFileSync(OUTPUT, "utf8");
} catch {}
const keptFromSample = [];
const docs = new Map();
const expected = render(configSchema, existingComments(actual), keptFromSample, docs);
// The same explanations, for the .env.sample `portside new` writes (only from the examples' full schema).
const DOCS_OUTPUT = "packages/service-kit/src/generator/config-docs.ts";
const writesDocs = values.config === "examples/services/src/config.ts";
const docsModule = `// Generated by \`node scripts/env-sample.mjs\` from the config schemas' doc comments (not formatted by
// biome: one key a line): edit those, not this.

/** Each config key's meaning and default, as the \`.env.sample\` of a generated service explains it. */
export const configDocs: Readonly<Record<string, string>> = {
${[...docs].map(([key, doc]) => `  ${key}: ${JSON.stringify(doc)},`).join("\n")}
};
`;
const docsActual = (() => {
  try {
    return readFileSync(DOCS_OUTPUT, "utf8");
  } catch {
    return "";
  }
})();
if (values.check) {
  if (actual !== expected) {
    process.stderr.write(`${OUTPUT} differs from the config schemas. Run: node scripts/env-sample.mjs\n`);
    process.exit(1);
  }
  if (writesDocs && docsActual !== docsModule) {
    process.stderr.write(
      `${DOCS_OUTPUT} differs from the config schemas. Run: node scripts/env-sample.mjs\n`,
    );
    process.exit(1);
  }
} else {
  writeFileSync(OUTPUT, expected);
  if (writesDocs) writeFileSync(DOCS_OUTPUT, docsModule);
  if (keptFromSample.length > 0) {
    process.stderr.write(
      `No doc comment in their schema, so their comment in ${OUTPUT} is kept: ${keptFromSample.join(", ")}\n`,
    );
  }
}
