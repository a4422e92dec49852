import { describe, expect, it } from "vitest";
import { createServiceRouter, fetchHandlerToLambda, type HttpEventV2 } from "../src/index.js";

const event = (overrides: Partial<HttpEventV2> = {}): HttpEventV2 => ({
  rawPath: "/profiles/a",
  rawQueryString: "tag=x",
  headers: { "content-type": "application/json" },
  cookies: ["a=1", "b=2"],
  body: Buffer.from('{"ok":true}').toString("base64"),
  isBase64Encoded: true,
  requestContext: { domainName: "api.example.com", requestId: "gw-1", http: { method: "PUT" } },
  ...overrides,
});

describe("fetchHandlerToLambda", () => {
  it("hands the handler the request API Gateway received, and answers its response", async () => {
    let seen:
      | { url: string; method: string; cookie: string | null; id: string | null; body: string }
      | undefined;
    const handler = fetchHandlerToLambda(async (request) => {
      seen = {
        url: request.url,
        method: request.method,
        cookie: request.headers.get("cookie"),
        id: request.headers.get("x-request-id"),
        body: await request.text(),
      };
      const response = new Response(new Uint8Array([0, 255]), { headers: { "content-type": "image/png" } });
      response.headers.append("set-cookie", "s=1");
      return response;
    });
    const result = await handler(event());
    expect(seen).toEqual({
      url: "https://api.example.com/profiles/a?tag=x",
      method: "PUT",
      cookie: "a=1; b=2",
      id: "gw-1",
      body: '{"ok":true}',
    });
    expect(result).toEqual({
      statusCode: 200,
      headers: { "content-type": "image/png" },
      cookies: ["s=1"],
      body: Buffer.from([0, 255]).toString("base64"),
      isBase64Encoded: true,
    });
  });

  it("keeps the caller's request id and answers text as text", async () => {
    const handler = fetchHandlerToLambda(async (request) =>
      Response.json({ id: request.headers.get("x-request-id") }),
    );
    const result = await handler(
      event({ headers: { "x-request-id": "mine" }, body: null, requestContext: { http: { method: "GET" } } }),
    );
    expect(result).toMatchObject({ statusCode: 200, body: '{"id":"mine"}', isBase64Encoded: false });
  });
});

describe("createServiceRouter", () => {
  const router = createServiceRouter("rooms/api", [
    { name: "a", routes: ["/a"], handler: async () => new Response("a"), adapters: { store: "memory" } },
    {
      name: "b",
      routes: ["/b"],
      handler: async () => {
        throw new Error("secret detail");
      },
    },
  ]);
  const get = (path: string) => router(new Request(`http://localhost${path}`));

  it("reports its domains on /healthz and routes by prefix", async () => {
    expect(await (await get("/healthz")).json()).toEqual({
      status: "ok",
      service: "rooms/api",
      domains: [
        { name: "a", adapters: { store: "memory" } },
        { name: "b", adapters: {} },
      ],
    });
    expect(await (await get("/a/x")).text()).toBe("a");
    const missing = await get("/ab");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("answers an escaped error 500 without its message", async () => {
    const response = await get("/b");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secret detail");
  });
});
