import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { FetchHandler } from "@portside-examples/services";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";

function toRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const controller = new AbortController();
  // The client went away before the response finished (a closed tab ends its event stream).
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    signal: controller.signal,
    // Node's fetch needs this to accept a streamed request body.
    duplex: hasBody ? "half" : undefined,
  } as RequestInit);
}

async function send(response: Response, res: ExpressResponse): Promise<void> {
  res.status(response.status);
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

/** Mounts a Web-standard fetch handler as Express middleware. */
export function fetchHandlerMiddleware(handler: FetchHandler) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    handler(toRequest(req, res))
      .then((response) => send(response, res))
      .catch(next);
  };
}
