/** Which origins, methods and headers cross-origin requests may use. */
export interface CorsOptions {
  /** Origins allowed to call, or `"*"` for any (never with credentials). */
  origins: readonly string[] | "*";
  credentials?: boolean;
  /** Request headers a browser may send besides the simple ones. */
  allowHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

const EXPOSED = "etag, x-request-id, retry-after, allow, location";
const DEFAULT_ALLOWED = ["authorization", "content-type", "if-match", "if-none-match", "x-request-id"];

function allowedOrigin(cors: CorsOptions, origin: string | null): string | undefined {
  if (origin === null) return undefined;
  if (cors.origins === "*") return cors.credentials ? origin : "*";
  return cors.origins.includes(origin) ? origin : undefined;
}

/** Headers for an actual (non-preflight) response; none when the origin is not allowed. */
export function corsHeaders(cors: CorsOptions, request: Request): Record<string, string> {
  const origin = allowedOrigin(cors, request.headers.get("origin"));
  if (!origin) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": EXPOSED,
    ...(cors.credentials ? { "access-control-allow-credentials": "true" } : {}),
    ...(origin !== "*" ? { vary: "Origin" } : {}),
  };
}

/** Headers answering a preflight for a path that allows `methods`. */
export function preflightHeaders(
  cors: CorsOptions,
  request: Request,
  methods: string,
): Record<string, string> {
  const base = corsHeaders(cors, request);
  if (!base["access-control-allow-origin"]) return {};
  return {
    ...base,
    "access-control-allow-methods": methods,
    "access-control-allow-headers": (cors.allowHeaders ?? DEFAULT_ALLOWED).join(", "),
    "access-control-max-age": String(cors.maxAgeSeconds ?? 600),
  };
}
