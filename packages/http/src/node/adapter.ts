import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { type NodeBody, nodeBody } from "./request-body.js";

/** A Web-standard fetch handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options of serving a fetch handler on `node:http`. */
export interface NodeAdapterOptions {
  /**
   * Unread request body a response may leave behind and still keep the connection: up to this
   * many bytes (by `Content-Length`) are read and dropped; more, or an unknown length, and the
   * response says `Connection: close`. A chunked body gets the same allowance after the
   * response, which must cover what a client had in flight (socket buffers on both sides hold
   * several MiB) when it stopped. Default 16 MiB.
   */
  drainLimitBytes?: number;
  /** Origin for the Web request's URL (default `http://<host header>`). */
  origin?: string;
}

/** How many bytes of an unread request body are drained before the connection is closed instead. */
export const DEFAULT_DRAIN_LIMIT = 16 * 1024 * 1024;

const bodies = new WeakMap<IncomingMessage, NodeBody>();

/**
 * A Node request as a Web `Request` whose body streams from the socket (nothing is buffered).
 * `url` overrides the URL built from `origin` and `req.url` (Express passes its `originalUrl`).
 */
export function toWebRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeAdapterOptions = {},
  url?: string,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const origin = options.origin ?? `http://${req.headers.host ?? "localhost"}`;
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  let body: NodeBody | undefined;
  if (hasBody) {
    body = nodeBody(req);
    bodies.set(req, body);
  }
  return new Request(url ?? new URL(req.url ?? "/", origin), {
    method,
    headers,
    body: body?.stream ?? null,
    signal: controller.signal,
    duplex: hasBody ? "half" : undefined,
  } as RequestInit);
}

/**
 * Decides what happens to a body the handler did not read to its end. A declared remainder of
 * at most `drainLimit` bytes is read and dropped (the connection stays usable); a larger one is
 * answered with `Connection: close`, so a keep-alive client is told rather than reset. A chunked
 * body's remainder is unknown: up to `drainLimit` more bytes are dropped, so a client that stops
 * sending once it has our answer keeps its connection, and one that streams on is cut off.
 */
function settleUnreadBody(req: IncomingMessage, res: ServerResponse, drainLimit: number): void {
  if (req.complete || req.method === "GET" || req.method === "HEAD") return;
  const body = bodies.get(req);
  const declared = Number(req.headers["content-length"]);
  if (!Number.isFinite(declared)) {
    if (body) body.discard(drainLimit, () => req.socket.destroy());
    else req.resume();
    return;
  }
  if (declared - (body?.bytesRead() ?? 0) > drainLimit) res.setHeader("connection", "close");
  // Keep reading (and dropping) after the response, so the client reads our answer before any close.
  if (body) body.discard();
  else req.resume();
}

/** Writes a Web `Response` to a Node response, streaming its body with backpressure. */
export async function sendWebResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeAdapterOptions = {},
): Promise<void> {
  settleUnreadBody(req, res, options.drainLimitBytes ?? DEFAULT_DRAIN_LIMIT);
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  res.once("close", () => body.destroy());
  for await (const chunk of body) {
    // Each chunk is written as it arrives, so streamed responses (SSE) reach the client live.
    if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
  }
  res.end();
}

/** A `node:http` request listener serving a fetch handler. */
export function createNodeListener(handler: FetchHandler, options: NodeAdapterOptions = {}): RequestListener {
  return (req, res) => {
    handler(toWebRequest(req, res, options))
      .then((response) => sendWebResponse(response, req, res, options))
      .catch(() => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader("content-type", "application/json");
          res.setHeader("connection", "close");
          res.end(JSON.stringify({ error: { code: "INTERNAL", message: "Internal error", details: {} } }));
        } else res.destroy();
      });
  };
}
