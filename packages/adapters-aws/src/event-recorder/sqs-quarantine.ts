import type { SQSClient } from "@aws-sdk/client-sqs";
import type { QuarantineEntry, QuarantineSink } from "@portside/event-recorder";
import { createSqsProducer } from "../sqs/producer.js";

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
} as const;

/**
 * `createSqsQuarantineSink({ client, queueUrl })`: poison messages go to a dead-letter queue with
 * their original body, the original message id and why, as message attributes. Redrive them
 * to the source queue (or through `recorder.recordBatch`) once fixed.
 */
export function createSqsQuarantineSink(options: SqsQuarantineOptions): QuarantineSink {
  const producer = createSqsProducer(options);
  return {
    async put(entries: readonly QuarantineEntry[]) {
      if (entries.length === 0) return;
      await producer.send(
        entries.map((entry) => ({
          body: entry.body,
          attributes: {
            [QuarantineAttribute.reason]: entry.reason,
            [QuarantineAttribute.detail]: entry.detail.slice(0, 1024),
            [QuarantineAttribute.messageId]: entry.messageId,
          },
        })),
      );
    },
  };
}
