/**
 * The streaming NDJSON and CSV readers against a ceiling measured in the same run: the whole text
 * split once and parsed (not streaming, no limit). Linear readers keep the same ratio and the
 * same MiB/s at every size; a quadratic one falls away as the size grows.
 *   npm run bench:http
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { readCsv, readNdjson } from "../src/index.js";

const MiB = 1024 * 1024;
const sizes = [1, 4, 16, 64];
const CHUNK = 64 * 1024;

function ndjsonText(bytes: number): string {
  const line = `${JSON.stringify({ id: "0123456789", name: "a".repeat(60), tags: ["x", "y"], n: 42 })}\n`;
  return line.repeat(Math.ceil(bytes / line.length));
}

function csvText(bytes: number): string {
  const row = `0123456789,"a quoted, field with ""quotes""",${"b".repeat(40)},42\r\n`;
  return row.repeat(Math.ceil(bytes / row.length));
}

/** A request whose body arrives in 64 KiB chunks, as from a socket. */
function request(bytes: Uint8Array, type: string): Request {
  let at = 0;
  return new Request("http://bench/upload", {
    method: "POST",
    headers: { "content-type": type },
    body: new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(at, at + CHUNK));
        at += CHUNK;
      },
    }),
    duplex: "half",
  } as RequestInit);
}

async function time(run: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const count = await run();
  return { ms: performance.now() - started, count };
}

const rows: Record<string, unknown>[] = [];
// The first pass (1 MiB, not reported) warms the JIT so the 1 MiB row is comparable.
for (const [i, mib] of [1, ...sizes].entries()) {
  const ndjson = new TextEncoder().encode(ndjsonText(mib * MiB));
  const csv = new TextEncoder().encode(csvText(mib * MiB));
  const ours = await time(async () => {
    let n = 0;
    for await (const _ of readNdjson(request(ndjson, "application/x-ndjson"), ndjson.length)) n++;
    return n;
  });
  const ceiling = await time(async () => {
    const text = new TextDecoder().decode(ndjson);
    let n = 0;
    for (const line of text.split("\n")) {
      if (!line) continue;
      JSON.parse(line);
      n++;
    }
    return n;
  });
  const csvOurs = await time(async () => {
    let n = 0;
    for await (const _ of readCsv(request(csv, "text/csv"), csv.length)) n++;
    return n;
  });
  const csvCeiling = await time(async () => {
    const text = new TextDecoder().decode(csv);
    let n = 0;
    for (const line of text.split("\r\n")) {
      if (!line) continue;
      line.split(",");
      n++;
    }
    return n;
  });
  if (i === 0) continue;
  rows.push({
    MiB: mib,
    "ndjson lines": ours.count,
    "ndjson ms": Math.round(ours.ms),
    "ndjson MiB/s": Math.round(mib / (ours.ms / 1000)),
    "ndjson / ceiling": Number((ours.ms / ceiling.ms).toFixed(2)),
    "csv rows": csvOurs.count,
    "csv ms": Math.round(csvOurs.ms),
    "csv MiB/s": Math.round(mib / (csvOurs.ms / 1000)),
    "csv / ceiling": Number((csvOurs.ms / csvCeiling.ms).toFixed(2)),
  });
}
console.table(rows);
const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(
  new URL("body-readers.json", dir),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, chunkBytes: CHUNK, rows }, null, 2)}\n`,
);
