/** Log levels by severity; a logger drops lines below its level. */
export const LogLevel = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
/** The name of a log level. */
export type LogLevel = keyof typeof LogLevel;

/** Port: structured logging. Fields never carry plaintext bodies unless `logPlaintext` is on. */
export interface Logger {
  /** Logs at debug level. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Logs at info level. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Logs at warn level. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Logs at error level. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line: `{ level, time, msg, ...fields }`, to stdout by default. */
export function createJsonLogger(
  options: { level?: LogLevel; write?: (line: string) => void; base?: Record<string, unknown> } = {},
): Logger {
  const threshold = LogLevel[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (level: Exclude<LogLevel, "silent">) => (msg: string, fields?: Record<string, unknown>) => {
    if (LogLevel[level] < threshold) return;
    write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...options.base, ...fields }));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The counters a recorder keeps. */
export const CounterName = {
  received: "received",
  recorded: "recorded",
  duplicates: "duplicates",
  quarantined: "quarantined",
  retried: "retried",
} as const;
/** The name of one counter. */
export type CounterName = (typeof CounterName)[keyof typeof CounterName];

/** Every counter's value. */
export type Counters = Record<CounterName, number>;

/** Port: where counters go besides the recorder's own totals (CloudWatch EMF, Prometheus...). */
export interface Metrics {
  /** Adds to a counter. */
  increment(name: CounterName, by: number): void;
}

export function emptyCounters(): Counters {
  return { received: 0, recorded: 0, duplicates: 0, quarantined: 0, retried: 0 };
}
