import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { QuarantineEntry, QuarantineSink, Recorder } from "@portside/event-recorder";
import { SqsError, SqsErrorCode } from "../sqs/errors.js";
import { chunk, type SqsMessage, toSqsMessage } from "../sqs/message.js";
import { createSqsProducer } from "../sqs/producer.js";

/** Options of `createSqsQuarantine`: the client and the dead-letter queue that holds quarantined messages. */
export interface SqsQuarantineOptions {
  client: SQSClient;
  /** The dead-letter queue poison messages are moved to. */
  queueUrl: string;
}

/** Message attributes a quarantined message carries on the dead-letter queue. */
export const QuarantineAttribute = {
  reason: "quarantine-reason",
  detail: "quarantine-detail",
  messageId: "original-message-id",
  /** `base64` when the body is carried as base64 of its UTF-8 (characters SQS refuses, or cut to size). */
  bodyEncoding: "quarantine-body-encoding",
} as const;

/** Characters an SQS message may not contain (SQS takes #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000+). */
const SQS_REFUSED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Largest body kept, in bytes: base64 of it and the attributes stay under SQS's 256 KiB. */
export const MAX_DEAD_LETTER_BODY_BYTES = 160 * 1024;

/** The body as SQS will take it: as is, or base64 of (at most `MAX_DEAD_LETTER_BODY_BYTES` of) its UTF-8. */
function storable(body: string): { body: string; base64: boolean } {
  const bytes = Buffer.from(body, "utf8");
  if (bytes.length <= MAX_DEAD_LETTER_BODY_BYTES && !SQS_REFUSED.test(body)) return { body, base64: false };
  return { body: bytes.subarray(0, MAX_DEAD_LETTER_BODY_BYTES).toString("base64"), base64: true };
}

const attributeText = (text: string) => text.replace(new RegExp(SQS_REFUSED.source, "gu"), "\uFFFD");

/** A message on the dead-letter queue: the original body, id and why it is there. */
export interface SqsQuarantinedMessage {
  messageId: string;
  body: string;
  reason: string;
  detail: string;
  /** Id of the copy on the dead-letter queue. */
  queueMessageId: string;
}

/** What a replay from the dead-letter queue did: how many messages were replayed and how many still fail. */
export interface SqsReplayResult {
  /** Recorded (or found already recorded) and taken off the dead-letter queue. */
  replayed: number;
  /** Still poison: quarantined again with their current reason. */
  failed: number;
  /** Transient failure: left on the dead-letter queue for a later replay. */
  retried: number;
}

export interface SqsQuarantine extends QuarantineSink {
  /** Peeks at up to 10 quarantined messages without taking them off the queue. */
  list(options?: { limit?: number }): Promise<SqsQuarantinedMessage[]>;
  /**
   * After a fix (a new key, a schema change), takes up to `limit` messages off the dead-letter
   * queue (default 1000) through `recorder.recordBatch`. Messages that fail again are
   * quarantined again by the recorder (so the recorder should quarantine into this queue);
   * each message is tried at most once per call.
   */
  replay(recorder: Pick<Recorder, "recordBatch">, options?: { limit?: number }): Promise<SqsReplayResult>;
}

const describe = (message: SqsMessage): SqsQuarantinedMessage => ({
  messageId: message.messageAttributes[QuarantineAttribute.messageId] ?? message.id,
  body:
    message.messageAttributes[QuarantineAttribute.bodyEncoding] === "base64"
      ? Buffer.from(message.body, "base64").toString("utf8")
      : message.body,
  reason: message.messageAttributes[QuarantineAttribute.reason] ?? "",
  detail: message.messageAttributes[QuarantineAttribute.detail] ?? "",
  queueMessageId: message.id,
});

/**
 * `createSqsQuarantine({ client, queueUrl })`: poison messages go to a dead-letter queue with
 * their original body, the original message id and why, as message attributes; `list` peeks at
 * them and `replay` records them again once fixed.
 */
export function createSqsQuarantine(options: SqsQuarantineOptions): SqsQuarantine {
  const { client, queueUrl } = options;
  const producer = createSqsProducer(options);
  const receive = async (max: number, visibility: number) => {
    try {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
          WaitTimeSeconds: 1,
          VisibilityTimeout: visibility,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["All"],
        }),
      );
      return Messages.map(toSqsMessage);
    } catch (error) {
      throw new SqsError(
        SqsErrorCode.receiveFailed,
        `ReceiveMessage from ${queueUrl} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  };
  const batchCall = async (
    messages: readonly SqsMessage[],
    code: SqsErrorCode,
    send: (entries: { Id: string; ReceiptHandle: string }[]) => Promise<{ Failed?: { Id?: string }[] }>,
  ) => {
    for (const batch of chunk(messages, 10)) {
      const entries = batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle }));
      let failed: { Id?: string }[] = [];
      try {
        failed = (await send(entries)).Failed ?? [];
      } catch (error) {
        throw new SqsError(code, `${code} on ${queueUrl}: ${(error as Error).message}`, {
          failedIds: batch.map((m) => m.id),
          cause: error,
        });
      }
      if (failed.length > 0) {
        throw new SqsError(code, `SQS refused ${failed.length} entries on ${queueUrl}`, {
          failedIds: failed.map((f) => batch[Number(f.Id)]?.id ?? ""),
        });
      }
    }
  };

  return {
    async put(entries: readonly QuarantineEntry[]) {
      if (entries.length === 0) return;
      await producer.send(
        entries.map((entry) => {
          const { body, base64 } = storable(entry.body);
          return {
            body,
            attributes: {
              [QuarantineAttribute.reason]: entry.reason,
              [QuarantineAttribute.detail]: attributeText(entry.detail.slice(0, 1024)),
              [QuarantineAttribute.messageId]: attributeText(entry.messageId),
              ...(base64 ? { [QuarantineAttribute.bodyEncoding]: "base64" } : {}),
            },
          };
        }),
      );
    },

    async list(listOptions = {}) {
      return (await receive(listOptions.limit ?? 10, 0)).map(describe);
    },

    async replay(recorder, replayOptions = {}) {
      const limit = replayOptions.limit ?? 1000;
      const result: SqsReplayResult = { replayed: 0, failed: 0, retried: 0 };
      const seen = new Set<string>();
      let taken = 0;
      while (taken < limit) {
        const received = await receive(limit - taken, 60);
        const fresh = received.filter((m) => !seen.has(describe(m).messageId));
        const again = received.filter((m) => seen.has(describe(m).messageId));
        // A message quarantined again by this very replay: leave it for the next one.
        if (again.length > 0) {
          await batchCall(again, SqsErrorCode.visibilityFailed, (Entries) =>
            client.send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: queueUrl,
                Entries: Entries.map((e) => ({ ...e, VisibilityTimeout: 0 })),
              }),
            ),
          );
        }
        if (fresh.length === 0) break;
        taken += fresh.length;
        const byOriginalId = new Map(fresh.map((m) => [describe(m).messageId, m]));
        for (const id of byOriginalId.keys()) seen.add(id);
        const { results } = await recorder.recordBatch(
          [...byOriginalId].map(([id, m]) => ({
            id,
            body: describe(m).body,
            attributes: { replayedFrom: queueUrl },
          })),
        );
        const done: SqsMessage[] = [];
        const back: SqsMessage[] = [];
        for (const r of results) {
          const message = byOriginalId.get(r.id)!;
          if (r.status === "retry") {
            back.push(message);
            result.retried++;
          } else {
            done.push(message);
            if (r.status === "quarantined") result.failed++;
            else result.replayed++;
          }
        }
        await batchCall(done, SqsErrorCode.deleteFailed, (Entries) =>
          client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries })),
        );
        if (back.length > 0) {
          await batchCall(back, SqsErrorCode.visibilityFailed, (Entries) =>
            client.send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: queueUrl,
                Entries: Entries.map((e) => ({ ...e, VisibilityTimeout: 0 })),
              }),
            ),
          );
        }
      }
      return result;
    },
  };
}

/** The put-only half of `createSqsQuarantine`, for recorders that only send poison away. */
export function createSqsQuarantineSink(options: SqsQuarantineOptions): QuarantineSink {
  return createSqsQuarantine(options);
}
