import { readRows } from "@portside/registry-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const value = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
);
const record = fc.dictionary(fc.constantFrom("a", "b", "c d", 'e"f'), value, { minKeys: 1 });

async function collect(chunks: string[], format: "csv" | "ndjson" | "json") {
  async function* source() {
    yield* chunks.map((c) => new TextEncoder().encode(c));
  }
  const rows = [];
  for await (const row of readRows(source(), format)) rows.push(row);
  return rows;
}

function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(text.slice(from, p));
    from = p;
  }
  parts.push(text.slice(from));
  return parts;
}

describe("streamed row sources", () => {
  it("reads the same JSON-array and NDJSON rows however the bytes are chunked (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (rows, cuts) => {
          const json = JSON.stringify(rows, null, 1);
          const ndjson = rows.map((r) => JSON.stringify(r)).join("\n");
          const fromJson = await collect(split(json, cuts), "json");
          const fromNdjson = await collect(split(ndjson, cuts), "ndjson");
          expect(fromJson.map((r) => r.values)).toEqual(rows);
          expect(fromNdjson.map((r) => r.values)).toEqual(rows);
          expect(fromJson.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("splits multi-byte characters across chunks without corrupting them", async () => {
    const bytes = new TextEncoder().encode('[{"name":"Zoë 名前"}]');
    async function* source() {
      for (const b of bytes) yield new Uint8Array([b]);
    }
    const rows = [];
    for await (const row of readRows(source(), "json")) rows.push(row);
    expect(rows[0]?.values).toEqual({ name: "Zoë 名前" });
  });

  it("reads quoted CSV cells with commas, quotes and newlines", async () => {
    const rows = await collect(['name,note\r\n"A, B","say ""hi""\nthere"\r\n', "C,plain\r\n"], "csv");
    expect(rows.map((r) => r.values)).toEqual([
      { name: "A, B", note: 'say "hi"\nthere' },
      { name: "C", note: "plain" },
    ]);
  });

  it("reports an unparseable NDJSON line by number and keeps reading", async () => {
    const rows = await collect(['{"a":1}\n{nope\n', '[1]\n{"a":2}\n'], "ndjson");
    expect(rows.map((r) => [r.row, r.error === undefined])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, true],
    ]);
  });

  it("streams a large upload in constant memory per row", async () => {
    const count = 50_000;
    async function* source() {
      yield "email,name\n";
      for (let i = 0; i < count; i += 1000) {
        let chunk = "";
        for (let j = i; j < i + 1000; j++) chunk += `u${j}@x.io,User ${j}\n`;
        yield chunk;
      }
    }
    let seen = 0;
    for await (const row of readRows(source(), "csv")) {
      seen++;
      if (seen === count)
        expect(row.values).toEqual({ email: `u${count - 1}@x.io`, name: `User ${count - 1}` });
    }
    expect(seen).toBe(count);
  });
});
