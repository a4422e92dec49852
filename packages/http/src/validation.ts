import type { z } from "zod";
import { toEnvelopeIssues } from "./error-envelope.js";
import { HttpError, HttpErrorCode } from "./errors.js";

/** Parses an input (body, query, path parameter) with a zod schema; failures are 400s naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "request"): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = toEnvelopeIssues(
    parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === "number" ? p : String(p))),
      message: i.message,
      code: i.code,
    })),
  );
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
  throw new HttpError(
    HttpErrorCode.validationFailed,
    `Invalid ${what}${where}: ${first?.message ?? "invalid"}`,
    {
      details: { issues },
    },
  );
}
