import type { RecorderErrorCode } from "./errors.js";
import type { AuditRow, BillingRow, FraudRow, RoutedEvent } from "./event/routing.js";

/** A message as it arrived: the encrypted body and the transport's id for it. */
export interface InboundMessage {
  /** Transport id (SQS `messageId`): unique per message, reported back on failure. */
  id: string;
  /** The encrypted body, exactly as the producer sent it. */
  body: string;
  /** Transport attributes worth keeping with a quarantined message. */
  attributes?: Readonly<Record<string, string>>;
}

/** What the sink did with one event. `rejected` is permanent for that event only. */
export type SinkOutcome =
  | { status: "recorded" }
  | { status: "duplicate" }
  | { status: "rejected"; reason: string };

/**
 * Port: durable storage of routed events. `write` stores each event's rows all-or-nothing,
 * records an already-stored event id as `duplicate`, and returns one outcome per event, in order.
 * It throws (a `RecorderError` `SINK_UNAVAILABLE`) only when nothing can be written now.
 */
export interface EventSink {
  /** Stores each event's rows all-or-nothing; one outcome per event, in order. */
  write(events: readonly RoutedEvent[]): Promise<SinkOutcome[]>;
  /**
   * Optional: one transaction written in chunks, so a large batch is decoded and written piece by
   * piece (bounded memory, decoding overlapped with the database's work) yet commits as one.
   */
  openBatch?(options?: { isolateRows?: boolean }): Promise<SinkBatch>;
  /** Releases what the sink holds (a pool). */
  close?(): Promise<void>;
}

/**
 * A batch transaction. Outcomes of `write` hold only once `commit` resolves. Opened without
 * `isolateRows`, a row the database refuses may abort the whole batch: `write` then throws
 * `ROWS_REJECTED` and the caller writes the batch again with `isolateRows`, which costs a
 * savepoint per write and reports such rows as `rejected`.
 */
export interface SinkBatch {
  write(events: readonly RoutedEvent[]): Promise<SinkOutcome[]>;
  commit(): Promise<void>;
  /** Abandons everything written; safe to call after a failure. */
  rollback(): Promise<void>;
}

/** Which recorded events to list, and how many. */
export interface EventQuery {
  sessionId?: string;
  eventType?: string;
  /** Inclusive lower bound on the event's timestamp. */
  from?: Date;
  /** Exclusive upper bound on the event's timestamp. */
  to?: Date;
  /** Page size, 1 to 1000. Default 100. */
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

export interface StoredEvent extends AuditRow {
  billing?: Omit<BillingRow, "eventId" | "timestamp" | "sessionId">;
  fraud?: Omit<FraudRow, "eventId" | "timestamp" | "sessionId">;
}

/** One page of results and the cursor of the next. */
export interface Page<T> {
  items: T[];
  /** Cursor of the next page; absent on the last one. */
  next?: string;
}

/** Port: reads recorded events, oldest first, by id, session, type and time range. */
export interface EventReader {
  /** One recorded event by id, or null. */
  getEvent(eventId: string): Promise<StoredEvent | null>;
  /** Recorded events, oldest first, a page at a time. */
  listEvents(query?: EventQuery): Promise<Page<StoredEvent>>;
}

/** Why a message was quarantined. */
export const QuarantineReason = {
  undecryptable: "UNDECRYPTABLE",
  notJson: "NOT_JSON",
  invalidEvent: "INVALID_EVENT",
  rejectedBySink: "REJECTED_BY_SINK",
} as const satisfies Record<string, RecorderErrorCode>;

/** One of the reasons of `QuarantineReason`. */
export type QuarantineReason = (typeof QuarantineReason)[keyof typeof QuarantineReason];

/** A message that cannot be recorded as it is, kept whole with why. */
export interface QuarantineEntry {
  messageId: string;
  body: string;
  attributes: Readonly<Record<string, string>>;
  reason: QuarantineReason;
  /** Human-readable detail: which field, which key. Never the plaintext. */
  detail: string;
}

export interface QuarantinedMessage extends QuarantineEntry {
  /** Store id, stable: what `replay` and the CLI take. */
  id: string;
  quarantinedAt: Date;
  /** Times it failed: each arrival of the same body, and each failed replay. */
  attempts: number;
  replayedAt: Date | null;
}

/**
 * Port: where permanent failures go, keyed by content: putting a body already quarantined
 * (a re-sent poison message) keeps one entry and counts the attempt.
 */
export interface QuarantineSink {
  /** Quarantines entries; a body already quarantined counts one more attempt. */
  put(entries: readonly QuarantineEntry[]): Promise<void>;
}

/** Port: a quarantine that can be listed and replayed (a table, memory). */
export interface QuarantineStore extends QuarantineSink {
  /** Quarantined messages, a page at a time (replayed ones only when asked). */
  list(options?: {
    limit?: number;
    cursor?: string;
    includeReplayed?: boolean;
  }): Promise<Page<QuarantinedMessage>>;
  /** One quarantined message by id, or null. */
  get(id: string): Promise<QuarantinedMessage | null>;
  /** Marks messages as replayed at the given time. */
  markReplayed(ids: readonly string[], at: Date): Promise<void>;
  /** A replay failed again: keep the message, record the new reason and count the attempt. */
  markFailed(id: string, reason: QuarantineReason, detail: string): Promise<void>;
}
