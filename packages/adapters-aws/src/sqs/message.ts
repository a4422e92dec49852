import type { Message } from "@aws-sdk/client-sqs";

/** A received SQS message, flattened: string attributes only, receive count parsed. */
export interface SqsMessage {
  /** SQS `MessageId`: what a handler names when it reports a failure. */
  readonly id: string;
  readonly body: string;
  readonly receiptHandle: string;
  /** System attributes (`SentTimestamp`, `ApproximateReceiveCount`, `MessageGroupId`...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** String and Number message attributes by name (binary ones are left out). */
  readonly messageAttributes: Readonly<Record<string, string>>;
  /** How many times SQS has handed this message out, this time included. */
  readonly receiveCount: number;
}

export function toSqsMessage(message: Message): SqsMessage {
  const messageAttributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) messageAttributes[name] = value.StringValue;
  }
  const attributes: Record<string, string> = { ...(message.Attributes ?? {}) };
  return {
    id: message.MessageId ?? "",
    body: message.Body ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    attributes,
    messageAttributes,
    receiveCount: Number(attributes.ApproximateReceiveCount ?? "1"),
  };
}

/** Splits a list into chunks of at most `size`, keeping order (SQS batch calls take 10 entries). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
