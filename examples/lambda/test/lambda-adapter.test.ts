import { describe, expect, it } from "vitest";
import { handler as healthHandler } from "../src/health.js";
import { fetchHandlerToLambda, type HttpEventV2 } from "../src/lambda-adapter.js";

function event(overrides: Partial<HttpEventV2> & { method?: string } = {}): HttpEventV2 {
  const { method = "GET", ...rest } = overrides;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/",
    rawQueryString: "",
    headers: { host: "api.example.com" },
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: {
        method,
        path: rest.rawPath ?? "/",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "test",
      },
      requestId: "id",
      routeKey: "$default",
      stage: "$default",
      time: "25/Nov/2026:16:00:00 +0000",
      timeEpoch: 0,
    },
    ...rest,
  };
}

describe("Lambda adapter", () => {
  it("builds the request from path, raw query string, headers and cookies", async () => {
    const handler = fetchHandlerToLambda(async (request) => {
      const url = new URL(request.url);
      return Response.json({
        url: url.toString(),
        tags: url.searchParams.getAll("tag"),
        cookie: request.headers.get("cookie"),
        method: request.method,
      });
    });
    const result = await handler(
      event({
        method: "DELETE",
        rawPath: "/profiles/maya",
        rawQueryString: "tag=a&tag=b%2Fc",
        cookies: ["s=1", "t=2"],
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    expect(JSON.parse(result.body!)).toEqual({
      url: "https://api.example.com/profiles/maya?tag=a&tag=b%2Fc",
      tags: ["a", "b/c"],
      cookie: "s=1; t=2",
      method: "DELETE",
    });
  });

  it("hands API Gateway's request id to the handler unless the caller sent its own", async () => {
    const seen: (string | null)[] = [];
    const lambda = fetchHandlerToLambda(async (request) => {
      seen.push(request.headers.get("x-request-id"));
      return new Response(null, { status: 204 });
    });
    await lambda(event());
    await lambda(event({ headers: { "x-request-id": "caller-1" } }));
    expect(seen).toEqual(["id", "caller-1"]);
  });

  it("decodes a base64 request body and encodes a binary response as base64", async () => {
    const handler = fetchHandlerToLambda(async (request) => {
      const bytes = new Uint8Array(await request.arrayBuffer());
      return new Response(
        bytes.map((b) => 255 - b),
        { headers: { "content-type": "application/octet-stream" } },
      );
    });
    const sent = Buffer.from([0, 1, 2, 250, 255]);
    const result = await handler(
      event({ method: "POST", body: sent.toString("base64"), isBase64Encoded: true }),
    );
    expect(result.isBase64Encoded).toBe(true);
    expect([...Buffer.from(result.body!, "base64")]).toEqual([255, 254, 253, 5, 0]);
  });

  it("passes a plain text body through and returns status, headers and cookies", async () => {
    const handler = fetchHandlerToLambda(async (request) => {
      const headers = new Headers({ "content-type": "text/plain; charset=utf-8", "x-id": "7" });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response(`got ${await request.text()}`, { status: 422, headers });
    });
    const result = await handler(event({ method: "PUT", body: "héllo" }));
    expect(result).toMatchObject({
      statusCode: 422,
      body: "got héllo",
      isBase64Encoded: false,
      cookies: ["a=1", "b=2"],
    });
    expect(result.headers).toMatchObject({ "x-id": "7" });
  });

  it("collects a streamed response into the result body", async () => {
    const handler = fetchHandlerToLambda(async () => {
      const parts = ["a\n", "b\n", "c\n"].map((s) => new TextEncoder().encode(s));
      return new Response(
        new ReadableStream({
          pull(controller) {
            const next = parts.shift();
            if (next) controller.enqueue(next);
            else controller.close();
          },
        }),
        { headers: { "content-type": "application/x-ndjson" } },
      );
    });
    expect((await handler(event())).body).toBe("a\nb\nc\n");
  });
});

describe("health handler", () => {
  it("answers an API Gateway v2 event with every service", async () => {
    const result = await healthHandler(event({ rawPath: "/healthz" }));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body!);
    expect(body.status).toBe("ok");
    expect(body.services.map((s: { name: string }) => s.name)).toEqual([
      "registry",
      "event-recorder",
      "profile-deps",
      "dj-room",
    ]);
  });
});
