import { type Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";

/** A response as the raw test client read it. */
export interface ClientResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  reusedSocket: boolean;
  /** The client socket's local port: equal ports mean the same connection. */
  localPort: number | undefined;
  /** What the client saw go wrong after the response (a reset while still sending). */
  lateError?: Error;
}

/** What the raw test client sends: method, path, headers and body, and how. */
export interface SendOptions {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A body sent whole, with its Content-Length. */
  body?: Uint8Array | string;
  /** Bytes to send chunked; sending stops as soon as a response arrives. */
  chunkedBytes?: number;
}

/**
 * One request through a keep-alive agent. A chunked upload is written with backpressure from
 * one reused 64 KiB buffer, so the client itself holds no more than that.
 */
export function send(base: string, agent: Agent, options: SendOptions): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(options.path, base);
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers["content-length"] = Buffer.byteLength(options.body);
    if (options.chunkedBytes !== undefined) headers["transfer-encoding"] = "chunked";
    let responded = false;
    let lateError: Error | undefined;
    let localPort: number | undefined;
    const req = httpRequest(url, { method: options.method, agent, headers }, (res) => {
      responded = true;
      localPort = res.socket.localPort;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => (lateError = e));
      res.on("end", () => {
        const result: ClientResponse = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString("utf8"),
          reusedSocket: req.reusedSocket,
          localPort,
        };
        // Let a reset that races the end of the response surface before answering.
        setImmediate(() => resolve(lateError ? { ...result, lateError } : result));
      });
    });
    req.on("error", (error) => {
      if (responded) lateError = error;
      else reject(error);
    });
    if (options.chunkedBytes === undefined) {
      req.end(options.body);
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = options.chunkedBytes;
    const pump = () => {
      while (left > 0 && !responded && !req.destroyed) {
        left -= chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!req.destroyed && !req.writableEnded) req.end();
    };
    // A client that has its answer stops sending: it ends the chunked body after what is queued.
    req.on("response", () => {
      left = 0;
      if (!req.destroyed && !req.writableEnded) req.end();
    });
    pump();
  });
}
