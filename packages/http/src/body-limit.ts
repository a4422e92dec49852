import { HttpError, HttpErrorCode } from "./errors.js";

/** The default largest body a route accepts: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const tooLarge = (limit: number) =>
  new HttpError(HttpErrorCode.payloadTooLarge, `The body is larger than ${limit} bytes`, {
    details: { limit },
  });

/** Refuses a body whose declared `Content-Length` is over the limit, before reading any of it. */
export function assertDeclaredLength(request: Request, limit: number): void {
  const declared = request.headers.get("content-length");
  if (declared === null) return;
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new HttpError(HttpErrorCode.invalidBody, "Content-Length is not a byte count");
  }
  if (length > limit) throw tooLarge(limit);
}

/**
 * The body's chunks as they arrive, counted: past `limit` the stream is cancelled (nothing more
 * is read) and a 413 is thrown. Memory holds one chunk at a time.
 */
export async function* limitedChunks(request: Request, limit: number): AsyncGenerator<Uint8Array> {
  assertDeclaredLength(request, limit);
  if (!request.body) return;
  const reader = request.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > limit) throw tooLarge(limit);
      yield value;
    }
  } finally {
    if (total <= limit) reader.releaseLock();
    else await reader.cancel().catch(() => {});
  }
}

/** The whole body as bytes, refused past `limit` (by `Content-Length` first, then while streaming). */
export async function readBytes(request: Request, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of limitedChunks(request, limit)) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** Reads a body as text, refusing it once it passes `limit` bytes. */
export async function readText(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(request, limit));
}
