import type { Recorder } from "../recorder.js";

/** The parts of a Lambda SQS event the handler reads (structurally `aws-lambda`'s `SQSEvent`). */
export interface SqsEventLike {
  Records: readonly {
    messageId: string;
    body: string;
    attributes?: Readonly<Record<string, string | undefined>>;
    eventSourceARN?: string;
  }[];
}

/** Lambda's partial batch response: only these messages return to the queue. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * `createSqsBatchHandler(recorder)`: a Lambda handler for an SQS event source mapping with
 * `ReportBatchItemFailures`. Recorded, duplicate and quarantined messages are acknowledged;
 * only transient failures (database or keys unavailable) are named for retry.
 */
export function createSqsBatchHandler(
  recorder: Recorder,
): (event: SqsEventLike) => Promise<SqsBatchResponse> {
  return async (event) => {
    const messages = event.Records.map((record) => {
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(record.attributes ?? {})) if (v !== undefined) attributes[k] = v;
      if (record.eventSourceARN) attributes.eventSourceARN = record.eventSourceARN;
      return { id: record.messageId, body: record.body, attributes };
    });
    const { retryIds } = await recorder.recordBatch(messages);
    return { batchItemFailures: retryIds.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
