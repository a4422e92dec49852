import type { FetchHandler } from "@portside-examples/services";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** API Gateway HTTP API (payload 2.0) and Lambda function URL events share this shape. */
export type HttpEventV2 = APIGatewayProxyEventV2;
export type HttpResultV2 = APIGatewayProxyStructuredResultV2;

const TEXT_TYPES =
  /^(text\/|application\/(json|ld\+json|x-ndjson|xml|javascript|x-www-form-urlencoded)|image\/svg\+xml)|\+json|\+xml/i;

function toRequest(event: HttpEventV2): Request {
  const { http, domainName } = event.requestContext;
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers.set(name, value);
  }
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  // API Gateway's id for the request, so logs on both sides share it (a caller's own id wins).
  if (!headers.has("x-request-id") && event.requestContext.requestId) {
    headers.set("x-request-id", event.requestContext.requestId);
  }
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const url = `https://${domainName || headers.get("host") || "localhost"}${event.rawPath}${query}`;
  const hasBody =
    event.body !== undefined && event.body !== null && http.method !== "GET" && http.method !== "HEAD";
  const body = hasBody ? Buffer.from(event.body!, event.isBase64Encoded ? "base64" : "utf8") : null;
  return new Request(url, { method: http.method, headers, body });
}

async function toResult(response: Response): Promise<HttpResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get("content-type") ?? "";
  const isText = bytes.length === 0 || TEXT_TYPES.test(type);
  return {
    statusCode: response.status,
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    body: isText ? bytes.toString("utf8") : bytes.toString("base64"),
    isBase64Encoded: !isText,
  };
}

/** Wraps a Web-standard fetch handler as a Lambda handler for HTTP API v2 and function URL events. */
export function fetchHandlerToLambda(handler: FetchHandler): (event: HttpEventV2) => Promise<HttpResultV2> {
  return async (event) => toResult(await handler(toRequest(event)));
}
