import { Agent, get as httpGet, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createExpressMiddleware } from "@portside/http/node";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function serve(handler: (request: Request) => Promise<Response>): Promise<string> {
  const app = express();
  app.use(createExpressMiddleware(handler));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("Express adapter", () => {
  it("passes method, path, query string and headers in, and status and headers out", async () => {
    const url = await serve(async (request) => {
      const u = new URL(request.url);
      return Response.json(
        {
          method: request.method,
          path: u.pathname,
          q: u.searchParams.getAll("q"),
          auth: request.headers.get("authorization"),
        },
        { status: 201, headers: { "x-trace": "abc" } },
      );
    });
    const response = await fetch(`${url}/things/1?q=a&q=b%20c`, {
      method: "DELETE",
      headers: { authorization: "Bearer t" },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-trace")).toBe("abc");
    expect(await response.json()).toEqual({
      method: "DELETE",
      path: "/things/1",
      q: ["a", "b c"],
      auth: "Bearer t",
    });
  });

  it("streams a binary request body in and a binary response body out unchanged", async () => {
    const url = await serve(async (request) => {
      const bytes = new Uint8Array(await request.arrayBuffer());
      return new Response(bytes.reverse(), { headers: { "content-type": "application/octet-stream" } });
    });
    const sent = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const response = await fetch(url, { method: "POST", body: sent });
    const received = new Uint8Array(await response.arrayBuffer());
    expect(received).toEqual(sent.slice().reverse());
  });

  it("sends every Set-Cookie header", async () => {
    const url = await serve(async () => {
      const headers = new Headers();
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response(null, { status: 204, headers });
    });
    const response = await fetch(url);
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("delivers a streamed response chunk by chunk, before the stream ends", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const url = await serve(async () => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode("data: first\n\n"));
          await gate;
          controller.enqueue(encoder.encode("data: second\n\n"));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const response = await fetch(url);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    release();
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe("data: second\n\n");
    expect((await reader.read()).done).toBe(true);
  });
});

describe("Express adapter on a kept-alive connection", () => {
  it("serves many requests without piling listeners onto the socket", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const url = await serve(async () => new Response("ok"));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<string>((resolve, reject) => {
        httpGet(url, { agent }, (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () => resolve(body));
        }).on("error", reject);
      });
    for (let i = 0; i < 20; i++) expect(await get()).toBe("ok");
    agent.destroy();
    await new Promise((r) => setImmediate(r));
    process.off("warning", onWarning);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("aborts the request signal when the client disconnects mid-stream", async () => {
    let aborted: () => void = () => {};
    const abortSeen = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const url = await serve(async (request) => {
      request.signal.addEventListener("abort", () => aborted());
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("data: hello\n\n"));
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    });
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await abortSeen;
  });
});

describe("Express adapter with a slow consumer", () => {
  it("reads a large upload only as fast as the handler consumes it", async () => {
    let socketBytes = () => 0;
    let consumed = 0;
    let done: (read: number) => void = () => {};
    const measured = new Promise<number>((resolve) => {
      done = resolve;
    });
    const url = await serve(async (request) => {
      const reader = request.body!.getReader();
      const until = Date.now() + 500;
      while (Date.now() < until) {
        consumed += (await reader.read()).value?.byteLength ?? 0;
        await new Promise((r) => setTimeout(r, 2));
      }
      done(socketBytes() - consumed);
      await reader.cancel();
      return new Response("stopped");
    });
    server!.on("connection", (socket) => {
      socketBytes = () => socket.bytesRead;
    });
    const upload = new Uint8Array(64 * 1024 * 1024);
    const request = httpRequest(`${url}/upload`, {
      method: "POST",
      headers: { "content-length": upload.length },
    });
    request.on("error", () => {});
    request.end(upload);
    const read = await measured;
    request.destroy();
    expect(consumed).toBeGreaterThan(0);
    // Read from the socket but not yet consumed: a few chunks at most, where an eager reader
    // would have pulled in most of the 64 MB.
    expect(read).toBeLessThan(16 * 1024 * 1024);
  });
});
