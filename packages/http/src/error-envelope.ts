/** A path into the input, as the envelope always writes it: `["requests", 1]`. */
export type IssuePath = (string | number)[];

/** One problem of a request, with the path of the field it concerns. */
export interface EnvelopeIssue {
  path: IssuePath;
  message: string;
  [key: string]: unknown;
}

/** The JSON body of every error: `{ error: { code, message, details } }`. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** `"requests.1"` or `["requests", 1]` as `["requests", 1]`; `""` is the root, `[]`. */
export function toIssuePath(path: unknown): IssuePath {
  if (Array.isArray(path)) return path.map((p) => (typeof p === "number" ? p : String(p)));
  if (typeof path !== "string" || path === "") return [];
  return path.split(".").map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

/** zod-like issues as envelope issues: every path an array. */
export function toEnvelopeIssues(
  issues: readonly { path?: unknown; message: string; code?: unknown }[],
): EnvelopeIssue[] {
  return issues.map((issue) => ({
    ...issue,
    path: toIssuePath(issue.path),
    message: issue.message,
  }));
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `details` is always an object, and its `issues` (when any) always carry array paths. */
export function normalizeDetails(details: unknown): Record<string, unknown> {
  if (!isPlainObject(details)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) out[key] = value;
  if (Array.isArray(out.issues)) {
    out.issues = toEnvelopeIssues(out.issues.filter(isPlainObject) as { message: string }[]);
  }
  return out;
}

/** The error envelope of a code, a message and details. */
export function errorBody(code: string, message: string, details: unknown = {}): ErrorEnvelope {
  return { error: { code, message, details: normalizeDetails(details) } };
}

/** A JSON error response with its envelope and status. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  details: unknown = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json(errorBody(code, message, details), { status, headers });
}
