import type { Recorder } from "@portside/event-recorder";
import { createSqsConsumer, type SqsConsumer, type SqsConsumerOptions } from "../sqs/consumer.js";

/** Options of `createRecorderConsumer`: the SQS consumer's options and the recorder it feeds. */
export type RecorderConsumerOptions = Omit<SqsConsumerOptions, "handler"> & {
  recorder: Pick<Recorder, "recordBatch">;
};

/**
 * The long-running poller for containers: an SQS consumer whose batches go through
 * `recorder.recordBatch`. Recorded, duplicate and quarantined messages are deleted; transient
 * failures stay on the queue for retry. Defaults suit the recorder: batches of up to 1,000
 * gathered over 1 s, two in flight.
 */
export function createRecorderConsumer(options: RecorderConsumerOptions): SqsConsumer {
  const { recorder, ...consumer } = options;
  return createSqsConsumer({
    batchSize: 1000,
    batchWindowMs: 1000,
    concurrency: 2,
    ...consumer,
    handler: async (messages) => {
      const { retryIds } = await recorder.recordBatch(
        messages.map((m) => ({
          id: m.id,
          body: m.body,
          attributes: { ...m.messageAttributes, ApproximateReceiveCount: String(m.receiveCount) },
        })),
      );
      return { failed: retryIds };
    },
  });
}
