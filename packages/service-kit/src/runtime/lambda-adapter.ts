import type { FetchHandler } from "@portside/http";

/** The fields of an API Gateway HTTP API (payload 2.0) or function URL event the adapter reads. */
export interface HttpEventV2 {
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly cookies?: readonly string[];
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly domainName?: string;
    readonly requestId?: string;
    readonly http: { readonly method: string };
  };
}

/** The structured result API Gateway HTTP APIs and function URLs answer with. */
export interface HttpResultV2 {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

const TEXT_TYPES =
  /^(text\/|application\/(json|ld\+json|x-ndjson|xml|javascript|x-www-form-urlencoded)|image\/svg\+xml)|\+json|\+xml/i;

function toRequest(event: HttpEventV2): Request {
  const { http, domainName, requestId } = event.requestContext;
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers.set(name, value);
  }
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  // API Gateway's id for the request, so logs on both sides share it (a caller's own id wins).
  if (!headers.has("x-request-id") && requestId) headers.set("x-request-id", requestId);
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const url = `https://${domainName || headers.get("host") || "localhost"}${event.rawPath}${query}`;
  const hasBody = event.body != null && http.method !== "GET" && http.method !== "HEAD";
  const body = hasBody ? Buffer.from(event.body as string, event.isBase64Encoded ? "base64" : "utf8") : null;
  return new Request(url, { method: http.method, headers, body });
}

async function toResult(response: Response): Promise<HttpResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  const bytes = Buffer.from(await response.arrayBuffer());
  const isText = bytes.length === 0 || TEXT_TYPES.test(response.headers.get("content-type") ?? "");
  return {
    statusCode: response.status,
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    body: bytes.toString(isText ? "utf8" : "base64"),
    isBase64Encoded: !isText,
  };
}

/** A Web-standard fetch handler as a Lambda handler for API Gateway HTTP API (2.0) and function URL events. */
export function fetchHandlerToLambda(handler: FetchHandler): (event: HttpEventV2) => Promise<HttpResultV2> {
  return async (event) => toResult(await handler(toRequest(event)));
}
