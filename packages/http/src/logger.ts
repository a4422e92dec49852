/** Structured logging; the layer never passes bodies, tokens or query strings. */
export interface HttpLogger {
  /** Logs at info level. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Logs at warn level. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Logs at error level. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that writes nothing. */
export const silentHttpLogger: HttpLogger = { info() {}, warn() {}, error() {} };

/** An error and its `cause` chain as plain fields a JSON logger can write. */
export function errorFields(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const fields: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (error.cause !== undefined && depth < 5) fields.cause = errorFields(error.cause, depth + 1);
  return fields;
}
