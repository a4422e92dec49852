import { RecorderError, RecorderErrorCode } from "../errors.js";

/** SQLSTATE classes caused by the data in a statement, not the database's state: retrying the same rows fails again. */
const DATA_CLASSES = new Set(["22", "23", "54"]);

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && DATA_CLASSES.has(state.slice(0, 2));
}

/** Anything else from `pg` (refused connection, shutdown, timeout) means: try again later. */
export function unavailable(error: unknown, what: string): RecorderError {
  if (error instanceof RecorderError) return error;
  const state = sqlState(error);
  return new RecorderError(
    RecorderErrorCode.sinkUnavailable,
    `${what}: ${(error as Error)?.message ?? String(error)}${state ? ` (SQLSTATE ${state})` : ""}`,
    { cause: error },
  );
}
