import type { IncomingMessage } from "node:http";

/** A Node request body as a Web stream that pauses the socket instead of buffering, and never destroys it. */
export interface NodeBody {
  stream: ReadableStream<Uint8Array>;
  /** Bytes handed to the handler so far. */
  bytesRead(): number;
  /**
   * Reads and drops whatever the handler left unread, so the connection can be reused; past
   * `limit` dropped bytes, `onOverflow` is called once.
   */
  discard(limit?: number, onOverflow?: () => void): void;
}

export function nodeBody(req: IncomingMessage): NodeBody {
  let bytes = 0;
  let discarding = false;
  let discarded = 0;
  let overflow: { limit: number; call: () => void } | undefined;
  let listening = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const close = (how: () => void) => {
    if (!open) return;
    open = false;
    try {
      how();
    } catch {}
  };
  const onData = (chunk: Buffer) => {
    if (discarding) {
      discarded += chunk.byteLength;
      if (overflow && discarded > overflow.limit) {
        const call = overflow.call;
        overflow = undefined;
        call();
      }
      return;
    }
    if (!open) return;
    bytes += chunk.byteLength;
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const listen = () => {
    if (listening) return;
    listening = true;
    req.on("data", onData);
    req.once("end", () => close(() => controller.close()));
    req.once("error", (error) => close(() => controller.error(error)));
    req.once("close", () => {
      if (!req.complete)
        close(() => controller.error(new Error("The client closed the request before its body ended")));
    });
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        listen();
        req.resume();
      },
      cancel() {
        // The handler stopped reading (a 413): leave the socket alone and let the response decide.
        open = false;
        req.pause();
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    bytesRead: () => bytes,
    discard(limit, onOverflow) {
      if (limit !== undefined && onOverflow) overflow = { limit, call: onOverflow };
      discarding = true;
      open = false;
      listen();
      req.resume();
    },
  };
}
