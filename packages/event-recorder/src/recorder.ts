import type { Keyring, Keys } from "./crypto/keyring.js";
import { RecorderError, RecorderErrorCode } from "./errors.js";
import { type AuditRow, parseEvent, type RoutedEvent } from "./event/routing.js";
import {
  type CounterName,
  type Counters,
  emptyCounters,
  type Logger,
  type Metrics,
  silentLogger,
} from "./observability.js";
import type {
  EventSink,
  InboundMessage,
  QuarantinedMessage,
  QuarantineEntry,
  QuarantineReason,
  QuarantineSink,
  QuarantineStore,
  SinkOutcome,
} from "./ports.js";

/** What happened to one message of a batch. */
export const MessageStatus = {
  recorded: "recorded",
  duplicate: "duplicate",
  quarantined: "quarantined",
  retry: "retry",
} as const;
/** One of the statuses of `MessageStatus`. */
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** The outcome of one message of a batch. */
export interface MessageResult {
  id: string;
  status: MessageStatus;
  eventId?: string;
  /** Why it was quarantined or will be retried. */
  reason?: string;
}

/** The outcome of a batch: one result per message, and the ids to retry. */
export interface BatchResult {
  results: MessageResult[];
  /** Ids of messages to hand back for retry (transient failures only). */
  retryIds: string[];
}

/** Options of `createRecorder`: the keyring, the sink, the quarantine and observability. */
export interface RecorderOptions {
  keyring: Keyring;
  sink: EventSink;
  /** Where permanent failures go; they are acknowledged once stored there. */
  quarantine: QuarantineSink;
  logger?: Logger;
  metrics?: Metrics;
  /** Log decrypted plaintext of messages that fail validation. Off by default: bodies may hold personal data. */
  logPlaintext?: boolean;
  /**
   * Called once per message after its batch, with what became of it: one structured line per
   * event for a log pipeline. `details` only with `logPlaintext`.
   */
  eventLog?: (entry: EventLogEntry) => void;
  /** Messages decoded and written per statement when the sink streams a batch. Default 1000. */
  chunkSize?: number;
}

/** One structured log line about a message (never its plaintext unless asked). */
export interface EventLogEntry {
  messageId: string;
  status: MessageStatus;
  reason?: string;
  eventId?: string;
  eventType?: string;
  originatingService?: string;
  sessionId?: string | null;
  /** ISO-8601, UTC. */
  timestamp?: string;
  details?: Record<string, unknown> | null;
}

/** What a replay of quarantined messages did. */
export interface ReplayResult {
  replayed: string[];
  failed: { id: string; reason: QuarantineReason; detail: string }[];
}

/** Records batches of encrypted audit events exactly once and replays quarantined ones. */
export interface Recorder {
  /** Decrypts, validates and routes every message, writes the good ones in one sink call and quarantines the bad. */
  recordBatch(messages: readonly InboundMessage[]): Promise<BatchResult>;
  /** Body to routed rows; throws a permanent `RecorderError` when it never will be. */
  decode(body: string): Promise<RoutedEvent>;
  /** Replays quarantined messages (the given ids, or the oldest pending page) after a fix. */
  replay(
    store: QuarantineStore,
    options?: { ids?: readonly string[]; limit?: number },
  ): Promise<ReplayResult>;
  /** The counters so far: received, recorded, duplicates, quarantined, retried. */
  counters(): Counters;
}

type Decoded =
  | { message: InboundMessage; event: RoutedEvent }
  | { message: InboundMessage; error: RecorderError };

function asRecorderError(error: unknown): RecorderError {
  if (error instanceof RecorderError) return error;
  return new RecorderError(RecorderErrorCode.sinkUnavailable, (error as Error)?.message ?? String(error), {
    cause: error,
  });
}

/** The batch recorder: decrypts, validates, routes and writes each message, quarantining poison. */
export function createRecorder(options: RecorderOptions): Recorder {
  const eventLogEntry = (result: MessageResult, audit: AuditRow | undefined): EventLogEntry => {
    const entry: EventLogEntry = { messageId: result.id, status: result.status };
    if (result.reason) entry.reason = result.reason;
    if (audit) {
      entry.eventId = audit.eventId;
      entry.eventType = audit.eventType;
      entry.originatingService = audit.originatingService;
      entry.sessionId = audit.sessionId;
      entry.timestamp = audit.timestamp.toISOString();
      if (options.logPlaintext) entry.details = audit.details;
    }
    return entry;
  };
  const { keyring, sink, quarantine } = options;
  const chunkSize = options.chunkSize ?? 1000;
  const logger = options.logger ?? silentLogger;
  const totals = emptyCounters();
  const count = (name: CounterName, by: number) => {
    if (by === 0) return;
    totals[name] += by;
    options.metrics?.increment(name, by);
  };

  /** `decrypted`: the result of `keys.decryptMany` for this message, when the caller has it. */
  const decodeWith = (keys: Keys, message: InboundMessage, decrypted?: string | RecorderError): Decoded => {
    let plaintext: string | undefined;
    try {
      const result = decrypted ?? keys.decrypt(message.body);
      if (result instanceof RecorderError) throw result;
      plaintext = result;
      return { message, event: parseEvent(plaintext) };
    } catch (error) {
      // Whatever goes wrong decoding one message is that message's fault, never the batch's.
      const failure =
        error instanceof RecorderError
          ? error
          : new RecorderError(
              plaintext === undefined ? RecorderErrorCode.undecryptable : RecorderErrorCode.invalidEvent,
              `Message cannot be decoded: ${(error as Error)?.message ?? String(error)}`,
              { cause: error },
            );
      const fields: Record<string, unknown> = {
        messageId: message.id,
        code: failure.code,
        issues: failure.issues,
      };
      if (options.logPlaintext && plaintext !== undefined) fields.plaintext = plaintext;
      logger.warn("message is not a recordable event", fields);
      return { message, error: failure };
    }
  };

  const quarantineEntry = (
    message: InboundMessage,
    reason: QuarantineReason,
    detail: string,
  ): QuarantineEntry => ({
    messageId: message.id,
    body: message.body,
    attributes: message.attributes ?? {},
    reason,
    detail,
  });

  const recordBatch = async (messages: readonly InboundMessage[]): Promise<BatchResult> => {
    count("received", messages.length);
    const results = new Map<string, MessageResult>();
    let keys: Keys;
    try {
      keys = await keyring.resolve();
    } catch (error) {
      logger.error("keys unavailable: the whole batch goes back for retry", {
        error: (error as Error).message,
      });
      const reason = asRecorderError(error).code;
      count("retried", messages.length);
      return {
        results: messages.map((m) => ({ id: m.id, status: MessageStatus.retry, reason })),
        retryIds: messages.map((m) => m.id),
      };
    }

    const toQuarantine: QuarantineEntry[] = [];
    /** Sink outcomes, final only once the batch commits. */
    const written: { message: InboundMessage; eventId: string; status: "recorded" | "duplicate" }[] = [];
    const undecided: { message: InboundMessage; eventId: string }[] = [];
    /** Kept only for the per-event log: holding every row of a large batch costs memory. */
    const logged = options.eventLog ? new Map<string, AuditRow>() : undefined;
    const decided = (good: readonly { message: InboundMessage; event: RoutedEvent }[]) => {
      for (const g of good) {
        undecided.push({ message: g.message, eventId: g.event.audit.eventId });
        logged?.set(g.message.id, g.event.audit);
      }
    };

    const decodeChunk = (chunk: readonly InboundMessage[]) => {
      const good: { message: InboundMessage; event: RoutedEvent }[] = [];
      const decrypted = keys.decryptMany(chunk.map((m) => m.body));
      for (const [i, message] of chunk.entries()) {
        const item = decodeWith(keys, message, decrypted[i]);
        if ("event" in item) good.push(item);
        else if (item.error.permanent) {
          toQuarantine.push(
            quarantineEntry(message, item.error.code as QuarantineReason, item.error.message),
          );
        } else {
          results.set(message.id, { id: message.id, status: MessageStatus.retry, reason: item.error.code });
        }
      }
      return good;
    };
    const collect = (
      good: readonly { message: InboundMessage; event: RoutedEvent }[],
      outcomes: SinkOutcome[],
    ) => {
      good.forEach(({ message, event }, i) => {
        const outcome = outcomes[i]!;
        const eventId = event.audit.eventId;
        if (outcome.status === "rejected") {
          toQuarantine.push(quarantineEntry(message, RecorderErrorCode.rejectedBySink, outcome.reason));
          logger.warn("sink rejected an event", { messageId: message.id, eventId, reason: outcome.reason });
        } else {
          written.push({ message, eventId, status: outcome.status });
        }
      });
    };

    let position = 0;
    try {
      if (sink.openBatch) {
        let isolateRows = false;
        for (;;) {
          const batch = await sink.openBatch({ isolateRows });
          try {
            let inflight: Promise<void> | null = null;
            while (position < messages.length) {
              const chunk = messages.slice(position, position + chunkSize);
              position += chunk.length;
              // Decoding this chunk overlaps with the database writing the previous one.
              const good = decodeChunk(chunk);
              decided(good);
              if (inflight) await inflight;
              inflight =
                good.length > 0 ? batch.write(good.map((g) => g.event)).then((o) => collect(good, o)) : null;
            }
            if (inflight) await inflight;
            await batch.commit();
            break;
          } catch (error) {
            await batch.rollback().catch(() => {});
            if (
              isolateRows ||
              !(error instanceof RecorderError) ||
              error.code !== RecorderErrorCode.rowsRejected
            ) {
              throw error;
            }
            // Rare: a row the database refuses. Start over, isolating rows so only it is rejected.
            logger.warn("database refused a row: writing the batch again row-isolated", {
              messages: messages.length,
            });
            isolateRows = true;
            position = 0;
            results.clear();
            toQuarantine.length = 0;
            written.length = 0;
            undecided.length = 0;
            logged?.clear();
          }
        }
      } else {
        const good = decodeChunk(messages);
        position = messages.length;
        decided(good);
        if (good.length > 0) collect(good, await sink.write(good.map((g) => g.event)));
      }
      for (const w of written)
        results.set(w.message.id, { id: w.message.id, status: w.status, eventId: w.eventId });
    } catch (error) {
      const failure = asRecorderError(error);
      // Still sort the rest, so poison is quarantined even while the database is away.
      for (const g of decodeChunk(messages.slice(position))) {
        decided([g]);
      }
      logger.error("sink unavailable: events go back for retry", {
        count: undecided.length,
        error: failure.message,
      });
      const quarantined = new Set(toQuarantine.map((q) => q.messageId));
      for (const { message, eventId } of undecided) {
        if (quarantined.has(message.id)) continue;
        results.set(message.id, {
          id: message.id,
          status: MessageStatus.retry,
          eventId,
          reason: failure.code,
        });
      }
    }

    if (toQuarantine.length > 0) {
      try {
        await quarantine.put(toQuarantine);
        for (const entry of toQuarantine) {
          results.set(entry.messageId, {
            id: entry.messageId,
            status: MessageStatus.quarantined,
            reason: entry.reason,
          });
        }
      } catch (error) {
        logger.error("quarantine unavailable: poison messages go back for retry", {
          count: toQuarantine.length,
          error: (error as Error).message,
        });
        for (const entry of toQuarantine) {
          results.set(entry.messageId, {
            id: entry.messageId,
            status: MessageStatus.retry,
            reason: "QUARANTINE_UNAVAILABLE",
          });
        }
      }
    }

    const ordered = messages.map((m) => results.get(m.id)!);
    const tally = { recorded: 0, duplicate: 0, quarantined: 0, retry: 0 };
    for (const r of ordered) tally[r.status]++;
    count("recorded", tally.recorded);
    count("duplicates", tally.duplicate);
    count("quarantined", tally.quarantined);
    count("retried", tally.retry);
    logger.info("batch processed", { messages: messages.length, ...tally });
    if (options.eventLog) {
      for (const result of ordered) options.eventLog(eventLogEntry(result, logged?.get(result.id)));
    }
    return {
      results: ordered,
      retryIds: ordered.filter((r) => r.status === MessageStatus.retry).map((r) => r.id),
    };
  };

  return {
    recordBatch,
    async decode(body) {
      const keys = await keyring.resolve();
      return parseEvent(keys.decrypt(body));
    },
    counters: () => ({ ...totals }),
    async replay(store, replayOptions = {}) {
      const keys = await keyring.resolve();
      let entries: QuarantinedMessage[];
      if (replayOptions.ids) {
        entries = [];
        for (const id of replayOptions.ids) {
          const entry = await store.get(id);
          if (!entry) throw new RecorderError(RecorderErrorCode.notFound, `No quarantined message ${id}`);
          entries.push(entry);
        }
      } else {
        entries = (await store.list({ limit: replayOptions.limit ?? 100 })).items;
      }
      const result: ReplayResult = { replayed: [], failed: [] };
      const good: { entry: QuarantinedMessage; event: RoutedEvent }[] = [];
      for (const entry of entries.filter((e) => e.replayedAt === null)) {
        const item = decodeWith(keys, {
          id: entry.messageId,
          body: entry.body,
          attributes: entry.attributes,
        });
        if ("event" in item) good.push({ entry, event: item.event });
        else {
          await store.markFailed(entry.id, item.error.code as QuarantineReason, item.error.message);
          result.failed.push({
            id: entry.id,
            reason: item.error.code as QuarantineReason,
            detail: item.error.message,
          });
        }
      }
      if (good.length > 0) {
        const outcomes = await sink.write(good.map((g) => g.event));
        const done: string[] = [];
        for (const [i, { entry }] of good.entries()) {
          const outcome = outcomes[i]!;
          if (outcome.status === "rejected") {
            await store.markFailed(entry.id, RecorderErrorCode.rejectedBySink, outcome.reason);
            result.failed.push({
              id: entry.id,
              reason: RecorderErrorCode.rejectedBySink,
              detail: outcome.reason,
            });
          } else {
            done.push(entry.id);
            count(outcome.status === "recorded" ? "recorded" : "duplicates", 1);
          }
        }
        await store.markReplayed(done, new Date());
        result.replayed.push(...done);
      }
      logger.info("quarantine replayed", { replayed: result.replayed.length, failed: result.failed.length });
      return result;
    },
  };
}
