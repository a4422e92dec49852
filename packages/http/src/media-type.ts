import { HttpError, HttpErrorCode } from "./errors.js";

/** Refuses a body whose `Content-Type` is present and not one of `accepted` (415). */
export function assertMediaType(request: Request, accepted: RegExp, expected: string): void {
  const type = request.headers.get("content-type");
  if (type === null || type.trim() === "") return;
  if (!accepted.test(type)) {
    throw new HttpError(HttpErrorCode.unsupportedMediaType, `Expected ${expected}, got ${type}`, {
      details: { expected },
    });
  }
}

/** Matches JSON media types (`application/json`, `application/*+json`). */
export const JSON_TYPE = /^\s*application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;
/** Matches newline-delimited JSON media types. */
export const NDJSON_TYPE = /^\s*application\/(x-)?ndjson\s*(;|$)|^\s*application\/jsonl\s*(;|$)/i;
/** Matches `text/csv`. */
export const CSV_TYPE = /^\s*text\/csv\s*(;|$)/i;
