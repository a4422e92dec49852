import type { HttpLogger } from "../logger.js";

/** One line a capturing logger kept. */
export interface LogEntry {
  level: "info" | "warn" | "error";
  message: string;
  fields: Record<string, unknown>;
}

export interface CapturingLogger extends HttpLogger {
  entries: LogEntry[];
}

/** A logger that keeps what it is given, for tests. */
export function createCapturingLogger(): CapturingLogger {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry["level"]) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      entries.push({ level, message, fields });
    };
  return { entries, info: at("info"), warn: at("warn"), error: at("error") };
}
