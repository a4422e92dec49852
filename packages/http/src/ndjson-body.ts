import { HttpError, HttpErrorCode } from "./errors.js";
import { assertMediaType, NDJSON_TYPE } from "./media-type.js";
import { textLines } from "./text-lines.js";

/** One line of an NDJSON body: its line number and the parsed value. */
export interface NdjsonRecord {
  /** 1-based line number in the body. */
  line: number;
  value: unknown;
}

/** NDJSON records as they stream (blank lines skipped); a malformed line is a 400 naming it. */
export async function* readNdjson(request: Request, limit: number): AsyncGenerator<NdjsonRecord> {
  assertMediaType(request, NDJSON_TYPE, "application/x-ndjson");
  let line = 0;
  for await (const text of textLines(request, limit)) {
    line += 1;
    const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (trimmed.trim() === "") continue;
    try {
      yield { line, value: JSON.parse(trimmed) };
    } catch (error) {
      throw new HttpError(
        HttpErrorCode.invalidJson,
        `Line ${line} is not valid JSON: ${(error as Error).message}`,
        {
          details: { line },
        },
      );
    }
  }
}
