import { Agent, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpLogger } from "../logger.js";
import { createNodeListener } from "../node/adapter.js";
import type { FetchHandler } from "../router.js";
import { createCapturingLogger, type LogEntry } from "./capture-logger.js";
import { type ClientResponse, send } from "./node-client.js";

/** A route that takes a body, for the body-limit tests. */
export interface BodyRoute {
  method: string;
  path: string;
  /** The route's body limit in bytes. */
  limit: number;
  contentType?: string;
}

/** What the HTTP conformance suite runs against: the handler and the routes to probe. */
export interface HttpConformanceTarget {
  /** The handler under test, built with the `logger` the suite passed to `create`. */
  handler: FetchHandler;
  /** Headers every request carries (credentials). */
  headers?: Record<string, string>;
  /** A path that exists and the methods it allows. */
  resource: { path: string; methods: readonly string[] };
  /** Every route that reads a body. */
  bodyRoutes: readonly BodyRoute[];
  /** A JSON route and a body that is valid but for one field the route does not know. */
  json?: { method: string; path: string; unknownField: unknown };
  /** A versioned resource: `create` makes a fresh one; `write` builds a change to send with `If-Match`. */
  versioned?: {
    /** Creates a fresh versioned resource and returns its path. */
    create(): Promise<string>;
    /** The change to send to a resource with `If-Match`. */
    write(path: string): { method: string; body?: unknown };
  };
}

/** Options of the HTTP conformance suite. */
export interface HttpConformanceOptions {
  /** Builds the handler under test with the suite's logger. */
  create(context: { logger: HttpLogger }): Promise<HttpConformanceTarget> | HttpConformanceTarget;
  /** Cleans up after the suite. */
  destroy?(): Promise<void>;
  /**
   * A handler whose store throws an unexpected `Error("…secret…")`, and a request that reaches
   * the store: the suite checks the 500 leaks nothing and is logged once with its cause.
   */
  failing?(context: { logger: HttpLogger; secret: string }): Promise<{
    handler: FetchHandler;
    /** A request that reaches the failing store. */
    request: () => Request;
  }>;
  /** Bytes each chunked oversized upload tries to send (default 200 MiB). */
  streamBytes?: number;
  /** Names of tests to skip, with the reason in the caller's code. */
  skip?: readonly string[];
  /** Adds the handler's own tests to the suite. */
  additionalTests?(target: () => HttpConformanceTarget): void;
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

async function envelope(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toMatch(UPPER_SNAKE);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.details).toBeTypeOf("object");
  expect(body.error.details).not.toBeNull();
  expect(Array.isArray(body.error.details)).toBe(false);
  const issues = (body.error.details as { issues?: { path: unknown }[] }).issues;
  for (const issue of issues ?? []) expect(Array.isArray(issue.path)).toBe(true);
  return body.error;
}

/** A body stream that fails the test if anything reads it: proves a refusal came before reading. */
function unreadableBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull() {
      throw new Error("the handler read a body it should have refused by Content-Length");
    },
  });
}

function withMalformedSegment(path: string): string {
  const parts = path.split("/");
  parts[parts.length - 1] = "%E0%A4%A";
  return parts.join("/");
}

function rssSampler() {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - before;
    },
  };
}

/**
 * The HTTP contract every Portside handler keeps: safe paths, 405 with `Allow`, body limits
 * enforced before and while reading with the connection left usable, the error envelope,
 * RFC 9110 preconditions, request ids, and unexpected errors answered 500 and logged once.
 */
export function describeHttpConformance(name: string, options: HttpConformanceOptions): void {
  describe(`HTTP conformance: ${name}`, () => {
    // A part the target does not configure (no JSON route, no versioned resource) shows as skipped.
    const test = (title: string, fn: (skip: () => void) => Promise<void>, timeout?: number) =>
      options.skip?.includes(title)
        ? it.skip(title, () => {})
        : it(title, (context) => fn(() => context.skip()), timeout);
    const logger = createCapturingLogger();
    let target: HttpConformanceTarget;
    let server: Server;
    let base: string;
    const call = (path: string, init: RequestInit = {}) =>
      target.handler(
        new Request(`http://portside.test${path}`, {
          ...init,
          headers: { ...target.headers, ...(init.headers as Record<string, string>) },
        }),
      );

    /** A 413 that kept its keep-alive connection: the next request goes out on the same socket. */
    const expectConnectionServesNext = async (agent: Agent, refused: ClientResponse) => {
      expect(refused.status).toBe(413);
      expect(refused.lateError).toBeUndefined();
      expect(refused.headers.connection).not.toBe("close");
      const next = await send(base, agent, {
        method: "GET",
        path: "/no-such-route/at/all/here",
        headers: target.headers ?? {},
      });
      expect(next.status).toBe(404);
      expect(next.localPort).toBe(refused.localPort);
    };

    beforeAll(async () => {
      target = await options.create({ logger });
      server = createServer(createNodeListener(target.handler));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      await options.destroy?.();
    });

    test("answers a malformed percent-encoded path with a 400, not a 500", async () => {
      const error = await envelope(await call(withMalformedSegment(target.resource.path)), 400);
      expect(error.code).toBe("INVALID_PATH");
      expect((await call("/%")).status).toBe(400);
    });

    test("answers an unknown path with a 404 envelope", async () => {
      const error = await envelope(await call("/no-such-route/at/all/here"), 404);
      expect(error.code).toBe("NOT_FOUND");
    });

    test("answers a wrong method with 405 and an Allow header listing the path's methods", async () => {
      const wrong = ["PATCH", "DELETE", "PUT", "POST"].find((m) => !target.resource.methods.includes(m))!;
      const response = await call(target.resource.path, { method: wrong });
      const allow = (response.headers.get("allow") ?? "").split(/,\s*/);
      await envelope(response, 405);
      for (const method of target.resource.methods) expect(allow).toContain(method);
      expect(allow).not.toContain(wrong);
      const options_ = await call(target.resource.path, { method: "OPTIONS" });
      expect(options_.status).toBe(204);
      expect(options_.headers.get("allow")).toBe(response.headers.get("allow"));
    });

    test("refuses a body by Content-Length before reading it", async () => {
      for (const route of target.bodyRoutes) {
        const response = await call(route.path, {
          method: route.method,
          headers: {
            "content-length": String(route.limit + 1),
            "content-type": route.contentType ?? "application/json",
          },
          body: unreadableBody(),
          duplex: "half",
        } as RequestInit);
        const error = await envelope(response, 413);
        expect(error.code).toBe("PAYLOAD_TOO_LARGE");
      }
    });

    test("stops a chunked body at the limit while streaming", async () => {
      for (const route of target.bodyRoutes) {
        let pulled = 0;
        const chunk = new Uint8Array(16 * 1024).fill(0x20);
        // Finite, so a handler that reads everything fails the assertion below instead of the process.
        const total = route.limit + 4 * 1024 * 1024;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled >= total) return controller.close();
            pulled += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        const response = await call(route.path, {
          method: route.method,
          headers: { "content-type": route.contentType ?? "application/json" },
          body,
          duplex: "half",
        } as RequestInit);
        await envelope(response, 413);
        expect(pulled).toBeLessThanOrEqual(route.limit + 4 * chunk.byteLength);
      }
    });

    test("takes an oversized chunked upload on every body route with flat memory, and the next request succeeds", async () => {
      const bytes = options.streamBytes ?? 200 * 1024 * 1024;
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const route of target.bodyRoutes) {
          const rss = rssSampler();
          const response = await send(base, agent, {
            method: route.method,
            path: route.path,
            headers: { ...target.headers, "content-type": route.contentType ?? "application/json" },
            chunkedBytes: bytes,
          });
          expect(rss.stop()).toBeLessThan(20 * 1024 * 1024);
          // The client stopped sending once it had the answer: what was in flight is drained.
          await expectConnectionServesNext(agent, response);
        }
      } finally {
        agent.destroy();
      }
    }, 120_000);

    test("keeps a keep-alive connection usable after a 413 by Content-Length", async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const route of target.bodyRoutes.filter((r) => r.limit < 16 * 1024 * 1024)) {
          const first = await send(base, agent, {
            method: route.method,
            path: route.path,
            headers: { ...target.headers, "content-type": route.contentType ?? "application/json" },
            body: Buffer.alloc(route.limit + 1, 0x20),
          });
          await expectConnectionServesNext(agent, first);
        }
      } finally {
        agent.destroy();
      }
    });

    test("answers malformed JSON with a 400 envelope", async (skip) => {
      if (!target.json) return skip();
      const response = await call(target.json.path, {
        method: target.json.method,
        headers: { "content-type": "application/json" },
        body: '{"nope": ',
      });
      const error = await envelope(response, 400);
      expect(error.code).toBe("INVALID_JSON");
    });

    test("refuses a field the route does not know, naming it by an array path", async (skip) => {
      if (!target.json) return skip();
      const response = await call(target.json.path, {
        method: target.json.method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(target.json.unknownField),
      });
      const error = await envelope(response, 400);
      const issues = (error.details as { issues?: { path: unknown[] }[] }).issues ?? [];
      expect(issues.length).toBeGreaterThan(0);
    });

    test("serves an ETag, answers If-None-Match with 304 and a failed If-Match with 412", async (skip) => {
      if (!target.versioned) return skip();
      const path = await target.versioned.create();
      const read = await call(path);
      expect(read.status).toBe(200);
      const etag = read.headers.get("etag");
      expect(etag).toMatch(/^"[^"]+"$/);
      const notModified = await call(path, { headers: { "if-none-match": etag! } });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe("");
      expect(notModified.headers.get("etag")).toBe(etag);

      const change = (ifMatch: string) => {
        const write = target.versioned!.write(path);
        return call(path, {
          method: write.method,
          headers: { "if-match": ifMatch, "content-type": "application/json" },
          ...(write.body !== undefined ? { body: JSON.stringify(write.body) } : {}),
        });
      };
      const stale = await change('"stale-999999"');
      const error = await envelope(stale, 412);
      expect(error.code).toBe("PRECONDITION_FAILED");
      const weak = await change(`W/${etag}`);
      await envelope(weak, 412);
      const fresh = await change(etag!);
      expect(fresh.status).toBeLessThan(300);
      const changed = await call(path);
      if (changed.status === 200) expect(changed.headers.get("etag")).not.toBe(etag);
      expect((await call(path, { headers: { "if-none-match": etag! } })).status).not.toBe(304);
    });

    test("echoes a caller's x-request-id and makes one up otherwise", async () => {
      const echoed = await call("/no-such-route/at/all/here", { headers: { "x-request-id": "req-abc.123" } });
      expect(echoed.headers.get("x-request-id")).toBe("req-abc.123");
      const made = await call("/no-such-route/at/all/here");
      expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const unsafe = await call("/no-such-route/at/all/here", { headers: { "x-request-id": "a b\u0001" } });
      expect(unsafe.headers.get("x-request-id")).not.toBe("a b\u0001");
    });

    test("logs each request without its body or query", async () => {
      const marker = `marker-${Date.now()}`;
      await call(`${target.resource.path}?token=${marker}`, { headers: { "x-request-id": marker } });
      const line = logger.entries.find((e) => e.fields.requestId === marker);
      expect(line).toBeDefined();
      expect(JSON.stringify(line!.fields.path)).not.toContain("token=");
    });

    test("answers a store's unexpected error with a 5xx that leaks nothing, logged once with its cause", async (skip) => {
      if (!options.failing) return skip();
      const failingLogger = createCapturingLogger();
      const secret = `secret-${Math.random().toString(36).slice(2)}`;
      const failing = await options.failing({ logger: failingLogger, secret });
      const response = await failing.handler(failing.request());
      const text = await response.clone().text();
      expect(response.status).toBeGreaterThanOrEqual(500);
      const error = await envelope(response, response.status);
      if (response.status === 500) expect(error.code).toBe("INTERNAL");
      expect(text).not.toContain(secret);
      const errors = failingLogger.entries.filter((e: LogEntry) => e.level === "error");
      expect(errors).toHaveLength(1);
      expect(JSON.stringify(errors[0]!.fields)).toContain(secret);
    });

    options.additionalTests?.(() => target);
  });
}
