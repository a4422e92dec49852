import { HttpError } from "./errors.js";

/** What an error becomes on the wire. */
export interface HttpProblem {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Turns a thrown value into a problem, or `undefined` when the value is not this mapper's. */
export type ErrorMapper = (error: unknown) => HttpProblem | undefined;

/** Options of `createErrorMapper`: a package's error class and the status of each of its codes. */
export interface ErrorMapperOptions<E extends Error & { readonly code: string }> {
  errorClass: abstract new (...args: never[]) => E;
  /** One status per code of the package's union: a code left out does not compile. */
  statuses: { readonly [K in E["code"]]: number };
  /** The `details` of an error's envelope (default: the error's own). */
  details?: (error: E) => Record<string, unknown> | undefined;
  /** Headers of an error's response (`Retry-After`, say). */
  headers?: (error: E) => Record<string, string> | undefined;
}

/** A package's error class and its status map, typed by its code union. */
export function createErrorMapper<E extends Error & { readonly code: string }>(
  options: ErrorMapperOptions<E>,
): ErrorMapper {
  return (error) => {
    if (!(error instanceof options.errorClass)) return undefined;
    const e = error as E;
    const statuses = options.statuses as Record<string, number>;
    const headers = options.headers?.(e);
    return {
      status: statuses[e.code] ?? 500,
      code: e.code,
      message: e.message,
      details: options.details?.(e) ?? (e as { details?: Record<string, unknown> }).details ?? {},
      ...(headers ? { headers } : {}),
      cause: e,
    };
  };
}

/** Maps the layer's own `HttpError` to its response. */
export const httpErrorMapper: ErrorMapper = (error) =>
  error instanceof HttpError
    ? {
        status: error.status,
        code: error.code,
        message: error.message,
        details: error.details,
        headers: error.headers,
        cause: error,
      }
    : undefined;
