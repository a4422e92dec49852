import type { z } from "zod";
import { readText } from "./body-limit.js";
import { HttpError, HttpErrorCode } from "./errors.js";
import { assertMediaType, JSON_TYPE } from "./media-type.js";
import { parseInput } from "./validation.js";

/** Options of reading a JSON body: its byte limit. */
export interface JsonBodyOptions {
  limit: number;
  /** Answer an empty body with this value instead of a 400. */
  emptyAs?: unknown;
}

/** A JSON body: 415 for another media type, 413 past the limit, 400 when malformed or empty. */
export async function readJson(request: Request, options: JsonBodyOptions): Promise<unknown> {
  assertMediaType(request, JSON_TYPE, "application/json");
  const text = await readText(request, options.limit);
  if (text.trim() === "") {
    if ("emptyAs" in options) return options.emptyAs;
    throw new HttpError(HttpErrorCode.invalidJson, "A JSON body is required");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(HttpErrorCode.invalidJson, `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A JSON body parsed with a schema: fields it does not know are refused when the schema is strict. */
export async function readJsonWith<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: JsonBodyOptions,
): Promise<z.output<S>> {
  return parseInput(schema, await readJson(request, options), "body");
}
