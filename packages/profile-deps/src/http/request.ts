import type { z } from "zod";
import { toIssues } from "../profiles/errors.js";
import { HttpError } from "./errors.js";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body, refusing non-JSON content types, bodies over 1 MiB and malformed JSON. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (type !== "" && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", `Expected application/json, got ${type}`);
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES)
    throw new HttpError("PAYLOAD_TOO_LARGE", `Body over ${MAX_BODY_BYTES} bytes`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES)
    throw new HttpError("PAYLOAD_TOO_LARGE", `Body over ${MAX_BODY_BYTES} bytes`);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") throw new HttpError("INVALID_REQUEST", "A JSON body is required");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError("INVALID_REQUEST", `Body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses query parameters (or any input) with a zod schema; failures are 400s naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = toIssues(parsed.error.issues);
    const first = issues[0];
    throw new HttpError(
      "INVALID_REQUEST",
      `Invalid ${what}${first ? `: ${first.path || "(root)"}: ${first.message}` : ""}`,
      {
        issues,
      },
    );
  }
  return parsed.data;
}

export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) out[key] = value;
  return out;
}
