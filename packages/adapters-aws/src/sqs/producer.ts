import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { SqsError, SqsErrorCode } from "./errors.js";
import { chunk } from "./message.js";

/** One message to send: a body, or a body with string attributes and, for FIFO queues, a group. */
export interface OutgoingSqsMessage {
  body: string;
  /** String message attributes (at most 10, as SQS allows). */
  attributes?: Readonly<Record<string, string>>;
  delaySeconds?: number;
  /** FIFO queues only. */
  groupId?: string;
  /** FIFO queues only; omit when the queue uses content-based deduplication. */
  deduplicationId?: string;
}

/** Options of `createSqsProducer`: the client and the queue. */
export interface SqsProducerOptions {
  client: SQSClient;
  queueUrl: string;
}

/** Sends messages to one queue in batches. */
export interface SqsProducer {
  readonly queueUrl: string;
  /** Sends messages in batches of 10 and resolves with their SQS message ids, in order. */
  send(messages: string | OutgoingSqsMessage | readonly (string | OutgoingSqsMessage)[]): Promise<string[]>;
}

function toEntry(input: string | OutgoingSqsMessage, index: number): SendMessageBatchRequestEntry {
  const message = typeof input === "string" ? { body: input } : input;
  const entry: SendMessageBatchRequestEntry = { Id: String(index), MessageBody: message.body };
  if (message.attributes && Object.keys(message.attributes).length > 0) {
    entry.MessageAttributes = Object.fromEntries(
      Object.entries(message.attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
    );
  }
  if (message.delaySeconds !== undefined) entry.DelaySeconds = message.delaySeconds;
  if (message.groupId !== undefined) entry.MessageGroupId = message.groupId;
  if (message.deduplicationId !== undefined) entry.MessageDeduplicationId = message.deduplicationId;
  return entry;
}

/**
 * `createSqsProducer({ client, queueUrl })`: sends with `SendMessageBatch`, 10 at a time.
 * A call either sends everything or throws an `SqsError` whose `failedIds` are the indexes
 * (as strings) of the messages SQS refused; earlier chunks may already have been sent.
 */
export function createSqsProducer(options: SqsProducerOptions): SqsProducer {
  const { client, queueUrl } = options;
  return {
    queueUrl,
    async send(input) {
      const list = (Array.isArray(input) ? input : [input]) as (string | OutgoingSqsMessage)[];
      const entries = list.map(toEntry);
      const ids: string[] = new Array(entries.length);
      for (const batch of chunk(entries, 10)) {
        let response: SendMessageBatchCommandOutput;
        try {
          response = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
        } catch (error) {
          throw new SqsError(
            SqsErrorCode.sendFailed,
            `SendMessageBatch to ${queueUrl} failed: ${(error as Error).message}`,
            {
              failedIds: batch.map((e) => e.Id!),
              cause: error,
            },
          );
        }
        for (const ok of response.Successful ?? []) ids[Number(ok.Id)] = ok.MessageId ?? "";
        const failed = response.Failed ?? [];
        if (failed.length > 0) {
          throw new SqsError(
            SqsErrorCode.sendFailed,
            `SQS refused ${failed.length} of ${batch.length} messages (${failed[0]?.Code}: ${failed[0]?.Message})`,
            { failedIds: failed.map((f) => f.Id ?? "") },
          );
        }
      }
      return ids;
    },
  };
}
