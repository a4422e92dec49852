import { describe, expect, it } from "vitest";
import { readCsv, readNdjson, textLines } from "../src/index.js";

/** A request whose body arrives in the given pieces, as a network would cut it. */
function streamed(pieces: string[], type: string): Request {
  const bytes = pieces.map((p) => new TextEncoder().encode(p));
  return new Request("http://t/x", {
    method: "POST",
    headers: { "content-type": type },
    body: new ReadableStream({
      pull(controller) {
        const next = bytes.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("body readers", () => {
  it("splits lines across chunk boundaries, multi-byte characters included", async () => {
    const text = "alpha\nbé\u00e9ta\n\ngamma";
    const bytes = new TextEncoder().encode(text);
    const pieces = [...bytes].map((b) => String.fromCharCode(b));
    const request = new Request("http://t/x", {
      method: "POST",
      body: new ReadableStream({
        start(c) {
          for (const b of bytes) c.enqueue(new Uint8Array([b]));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(pieces.length).toBe(bytes.length);
    expect(await all(textLines(request, 1024))).toEqual(["alpha", "bé\u00e9ta", "", "gamma"]);
  });

  it("reads NDJSON records with their line numbers and names a malformed line", async () => {
    const records = await all(
      readNdjson(streamed(['{"a":1}\n\n{"b"', ":2}\r\n"], "application/x-ndjson"), 1024),
    );
    expect(records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { b: 2 } },
    ]);
    await expect(
      all(readNdjson(streamed(['{"a":1}\n{nope}\n'], "application/x-ndjson"), 1024)),
    ).rejects.toMatchObject({
      code: "INVALID_JSON",
      details: { line: 2 },
    });
  });

  it("reads a one-line NDJSON body of many chunks in one pass", async () => {
    const pieces = Array.from({ length: 5_000 }, () => "x");
    const request = streamed(['{"k":"', ...pieces, '"}\n'], "application/x-ndjson");
    const [record] = await all(readNdjson(request, 1024 * 1024));
    expect((record!.value as { k: string }).k).toHaveLength(5_000);
  });

  it("parses RFC 4180 CSV: quotes, doubled quotes, commas and line breaks in fields, CRLF", async () => {
    const rows = await all(
      readCsv(
        streamed(['name,note\r\n"a, b","say ""hi""', '"\r\n"multi\nline",\r\n\r\nlast,x'], "text/csv"),
        1024,
      ),
    );
    expect(rows).toEqual([
      ["name", "note"],
      ["a, b", 'say "hi"'],
      ["multi\nline", ""],
      ["last", "x"],
    ]);
  });

  it("refuses CSV with a stray quote or an unclosed one", async () => {
    await expect(all(readCsv(streamed(['a,b"c\n'], "text/csv"), 1024))).rejects.toMatchObject({
      code: "INVALID_BODY",
    });
    await expect(all(readCsv(streamed(['"open,b\n'], "text/csv"), 1024))).rejects.toMatchObject({
      code: "INVALID_BODY",
    });
  });

  it("refuses a body of another media type with 415", async () => {
    await expect(all(readCsv(streamed(["a\n"], "application/json"), 1024))).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      status: 415,
    });
  });
});
