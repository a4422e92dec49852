import type { RoomEvent, RoomEventSource } from "../ports/event-publisher.js";

const encoder = new TextEncoder();

/**
 * A Server-Sent Events response streaming one room's events until the client goes away, the
 * room closes or the host bans `guestId`. Comments every `heartbeatMs` keep proxies from timing
 * the stream out.
 */
export function roomEventStream(
  source: RoomEventSource,
  roomId: string,
  signal: AbortSignal,
  heartbeatMs: number,
  guestId: string,
  version: number,
): Response {
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = source.subscribe(roomId, (event: RoomEvent) => {
        send(`id: ${event.version}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        const banned = event.data.banned === true && event.data.guestId === guestId;
        if (event.type === "room.closed" || banned) cleanup();
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), heartbeatMs);
      cleanup = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        signal.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          // Already closed by the reader.
        }
      };
      signal.addEventListener("abort", cleanup);
      send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ roomId, version })}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
