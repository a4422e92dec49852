import { pipeline, Readable } from "node:stream";
import { parse } from "csv-parse";
import { RegistryError, ValidationError } from "../errors.js";

/** The bytes of an import: a web stream or any async iterable of chunks (a Node stream is one). */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/** The formats entities import from. */
export const ImportFormat = { csv: "csv", ndjson: "ndjson", json: "json" } as const;
/** One of the formats of `ImportFormat`. */
export type ImportFormat = (typeof ImportFormat)[keyof typeof ImportFormat];

/** One parsed row: its 1-based number in the file (the CSV header is row 0) and its values. */
export interface SourceRow {
  row: number;
  values: Record<string, unknown> | null;
  /** Set when the row could not be parsed at all. */
  error?: string;
}

async function* chunks(source: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const iterable: AsyncIterable<Uint8Array | string> =
    typeof (source as ReadableStream).getReader === "function"
      ? Readable.fromWeb(source as import("node:stream/web").ReadableStream<Uint8Array>)
      : (source as AsyncIterable<Uint8Array | string>);
  for await (const chunk of iterable) {
    yield typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

async function* csvRows(source: ByteSource): AsyncGenerator<SourceRow> {
  const parser = parse({
    columns: true,
    skip_empty_lines: true,
    bom: true,
    trim: false,
    relax_column_count: false,
  });
  pipeline(Readable.from(chunks(source)), parser, () => {});
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      row++;
      yield { row, values: record };
    }
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    yield { row: row + 1, values: null, error: `unreadable CSV: ${(error as Error).message}` };
  }
}

async function* ndjsonRows(source: ByteSource): AsyncGenerator<SourceRow> {
  let buffer = "";
  let row = 0;
  const line = (text: string): SourceRow | null => {
    if (text.trim() === "") return null;
    row++;
    try {
      const value = JSON.parse(text);
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        return { row, values: null, error: "a row must be a JSON object" };
      }
      return { row, values: value };
    } catch (error) {
      return { row, values: null, error: `invalid JSON: ${(error as Error).message}` };
    }
  };
  for await (const chunk of chunks(source)) {
    // Only the unfinished tail is carried over, so the cost stays linear in the input.
    let from = 0;
    let at = chunk.indexOf("\n");
    if (at >= 0) {
      const parsed = line(buffer + chunk.slice(0, at));
      if (parsed) yield parsed;
      buffer = "";
      from = at + 1;
      for (at = chunk.indexOf("\n", from); at >= 0; at = chunk.indexOf("\n", from)) {
        const next = line(chunk.slice(from, at));
        if (next) yield next;
        from = at + 1;
      }
    }
    buffer += chunk.slice(from);
  }
  const last = line(buffer);
  if (last) yield last;
}

/** Streams the elements of a top-level JSON array, one element's text at a time. */
async function* jsonArrayRows(source: ByteSource): AsyncGenerator<SourceRow> {
  let started = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = "";
  let row = 0;
  const finish = (): SourceRow | null => {
    const text = element.trim();
    element = "";
    if (text === "") return null;
    row++;
    try {
      const value = JSON.parse(text);
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        return { row, values: null, error: "a row must be a JSON object" };
      }
      return { row, values: value };
    } catch (error) {
      return { row, values: null, error: `invalid JSON: ${(error as Error).message}` };
    }
  };
  for await (const chunk of chunks(source)) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (!started) {
        if (c === "[") {
          started = true;
          from = i + 1;
        } else if (!/\s/.test(c)) {
          throw new ValidationError("A JSON upload must be an array of objects", [
            { path: ["body"], message: "not an array" },
          ]);
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        if (depth === 0) {
          element += chunk.slice(from, i);
          const parsed = finish();
          if (parsed) yield parsed;
          return;
        }
        depth--;
      } else if (c === "," && depth === 0) {
        element += chunk.slice(from, i);
        const parsed = finish();
        if (parsed) yield parsed;
        from = i + 1;
      }
    }
    if (started) element += chunk.slice(from);
  }
  throw new ValidationError("The JSON array is not closed", [{ path: ["body"], message: "unexpected end" }]);
}

/** Rows of an upload, parsed as they stream in: the file is never held whole. */
export function readRows(source: ByteSource, format: ImportFormat): AsyncGenerator<SourceRow> {
  if (format === "csv") return csvRows(source);
  if (format === "ndjson") return ndjsonRows(source);
  return jsonArrayRows(source);
}
