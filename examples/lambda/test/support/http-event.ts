import type { HttpEventV2 } from "../../src/lambda-adapter.js";

/** Options of `httpEvent`: a JSON body, a bearer token (or a whole Authorization header) and cookies. */
export interface HttpEventOptions {
  body?: unknown;
  token?: string;
  authorization?: string;
  cookies?: string[];
}

/** An API Gateway HTTP API (payload 2.0) event as Lambda hands it over; `path` may carry `?query`. */
export function httpEvent(method: string, path: string, options: HttpEventOptions = {}): HttpEventV2 {
  const [rawPath = "", rawQueryString = ""] = path.split("?");
  const headers: Record<string, string> = { host: "api.example.com", "content-type": "application/json" };
  const authorization = options.authorization ?? (options.token && `Bearer ${options.token}`);
  if (authorization) headers.authorization = authorization;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    ...(options.cookies ? { cookies: options.cookies } : {}),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "id",
      routeKey: "$default",
      stage: "$default",
      time: "01/Dec/2026:16:00:00 +0000",
      timeEpoch: 0,
    },
  } as HttpEventV2;
}
