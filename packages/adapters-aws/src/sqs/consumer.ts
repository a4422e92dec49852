import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { SqsError, SqsErrorCode } from "./errors.js";
import { chunk, type SqsMessage, toSqsMessage } from "./message.js";

/**
 * What a handler reports: the ids of messages to leave on the queue (SQS redelivers them
 * after their visibility timeout, or `retryDelaySeconds`). Everything else is deleted.
 * Returning nothing means every message succeeded; throwing means every message failed.
 */
export interface SqsBatchResult {
  failed?: Iterable<string>;
}

/** `context.signal` aborts when `stop()` is called: the batch should still be finished. */
export type SqsBatchHandler = (
  messages: readonly SqsMessage[],
  context: { signal: AbortSignal },
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing reports full success
) => Promise<SqsBatchResult | undefined | void>;

/** Options of `createSqsConsumer`: the queue, the handler and how messages are polled and batched. */
export interface SqsConsumerOptions {
  client: SQSClient;
  queueUrl: string;
  handler: SqsBatchHandler;
  /** Messages per handler call, 1 to 10,000. Above 10, receives are accumulated within `batchWindowMs`. Default 10. */
  batchSize?: number;
  /** How long to keep receiving to fill a batch larger than 10. Default 0: one receive's worth. */
  batchWindowMs?: number;
  /** Long-poll wait per receive, 0 to 20. Default 20. */
  waitTimeSeconds?: number;
  /** Batches handled at once (each has its own receive loop). Default 1. */
  concurrency?: number;
  /**
   * Visibility timeout requested on receive. While a batch is being handled it is extended by
   * this much every half of it, so a slow batch is not handed to another consumer. Default 30.
   */
  visibilityTimeoutSeconds?: number;
  /** Visibility to give failed messages so they come back sooner (0: at once). Default: leave as is. */
  retryDelaySeconds?: number;
  /** Message attribute names to receive. Default: all. */
  messageAttributeNames?: string[];
  /** Errors the loop survives: receive, delete, visibility and handler failures. Default: console.error. */
  onError?: (error: SqsError) => void;
  /** Pause after a failed receive before the next one. Default 1000 ms. */
  errorBackoffMs?: number;
}

/** A running SQS consumer: start it, stop it gracefully. */
export interface SqsConsumer {
  /** Starts the receive loops. Calling it while running does nothing. */
  start(): void;
  /**
   * Graceful shutdown: stops receiving (an in-progress long poll is abandoned; its messages, if
   * any, reappear after their visibility timeout), lets in-flight batches finish and delete their
   * messages, then resolves.
   */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Batches being handled right now. */
  readonly inFlight: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * `createSqsConsumer({ client, queueUrl, handler })`: a long-running SQS poller with long
 * polling, bounded concurrency, visibility extension for slow batches, partial batch failures
 * and graceful shutdown. It knows nothing of message bodies: any domain can use it.
 *
 * ```ts
 * const consumer = createSqsConsumer({
 *   client: new SQSClient({}),
 *   queueUrl,
 *   handler: async (messages) => ({ failed: messages.filter((m) => !handle(m)).map((m) => m.id) }),
 * });
 * consumer.start();
 * process.on("SIGTERM", () => consumer.stop());
 * ```
 */
export function createSqsConsumer(options: SqsConsumerOptions): SqsConsumer {
  const {
    client,
    queueUrl,
    handler,
    batchSize = 10,
    batchWindowMs = 0,
    waitTimeSeconds = 20,
    concurrency = 1,
    visibilityTimeoutSeconds = 30,
    retryDelaySeconds,
    messageAttributeNames = ["All"],
    errorBackoffMs = 1000,
  } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new RangeError(`batchSize must be an integer from 1 to 10000, got ${batchSize}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const onError = options.onError ?? ((error: SqsError) => console.error(error));

  let stopping: AbortController | null = null;
  let loops: Promise<void>[] = [];
  let inFlight = 0;

  const receiveOnce = async (max: number, wait: number, signal: AbortSignal): Promise<SqsMessage[]> => {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: wait,
        VisibilityTimeout: visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: messageAttributeNames,
      }),
      { abortSignal: signal },
    );
    return Messages.map(toSqsMessage);
  };

  const changeVisibility = async (messages: readonly SqsMessage[], seconds: number) => {
    for (const batch of chunk(messages, 10)) {
      try {
        const response = await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((m, i) => ({
              Id: String(i),
              ReceiptHandle: m.receiptHandle,
              VisibilityTimeout: seconds,
            })),
          }),
        );
        if (response.Failed?.length) {
          onError(
            new SqsError(
              SqsErrorCode.visibilityFailed,
              `SQS refused to change visibility of ${response.Failed.length} messages`,
              {
                failedIds: response.Failed.map((f) => batch[Number(f.Id)]?.id ?? ""),
              },
            ),
          );
        }
      } catch (error) {
        onError(
          new SqsError(
            SqsErrorCode.visibilityFailed,
            `ChangeMessageVisibilityBatch failed: ${(error as Error).message}`,
            {
              failedIds: batch.map((m) => m.id),
              cause: error,
            },
          ),
        );
      }
    }
  };

  const deleteMessages = async (messages: readonly SqsMessage[]) => {
    await Promise.all(
      chunk(messages, 10).map(async (batch) => {
        try {
          const response = await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle })),
            }),
          );
          if (response.Failed?.length) {
            onError(
              new SqsError(
                SqsErrorCode.deleteFailed,
                `SQS refused to delete ${response.Failed.length} messages`,
                {
                  failedIds: response.Failed.map((f) => batch[Number(f.Id)]?.id ?? ""),
                },
              ),
            );
          }
        } catch (error) {
          onError(
            new SqsError(
              SqsErrorCode.deleteFailed,
              `DeleteMessageBatch failed: ${(error as Error).message}`,
              {
                failedIds: batch.map((m) => m.id),
                cause: error,
              },
            ),
          );
        }
      }),
    );
  };

  /** Keeps the given (growing) list of messages invisible until `stop` is called. */
  const keepInvisible = (messages: SqsMessage[]) => {
    const periodMs = Math.max(1, visibilityTimeoutSeconds) * 500;
    let pending: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      pending = pending.then(() => changeVisibility(messages, visibilityTimeoutSeconds));
    }, periodMs);
    return async () => {
      clearInterval(timer);
      await pending;
    };
  };

  const handleBatch = async (messages: SqsMessage[], release: () => Promise<void>, signal: AbortSignal) => {
    inFlight++;
    try {
      let failedIds: Set<string>;
      try {
        const result = await handler(messages, { signal });
        failedIds = new Set(result?.failed ?? []);
      } catch (error) {
        onError(
          new SqsError(SqsErrorCode.handlerFailed, `Batch handler failed: ${(error as Error).message}`, {
            failedIds: messages.map((m) => m.id),
            cause: error,
          }),
        );
        failedIds = new Set(messages.map((m) => m.id));
      }
      await release();
      await deleteMessages(messages.filter((m) => !failedIds.has(m.id)));
      if (retryDelaySeconds !== undefined && failedIds.size > 0) {
        await changeVisibility(
          messages.filter((m) => failedIds.has(m.id)),
          retryDelaySeconds,
        );
      }
    } finally {
      inFlight--;
    }
  };

  const loop = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      const messages: SqsMessage[] = [];
      let release: (() => Promise<void>) | null = null;
      try {
        const first = await receiveOnce(batchSize, waitTimeSeconds, signal);
        if (first.length === 0) continue;
        messages.push(...first);
        release = keepInvisible(messages);
        const deadline = Date.now() + batchWindowMs;
        while (messages.length < batchSize && !signal.aborted) {
          const left = deadline - Date.now();
          if (left <= 0) break;
          const more = await receiveOnce(
            batchSize - messages.length,
            Math.min(waitTimeSeconds, Math.floor(left / 1000)),
            signal,
          ).catch((error: unknown) => {
            if (!signal.aborted) throw error;
            return [];
          });
          messages.push(...more);
        }
      } catch (error) {
        if (messages.length === 0) {
          if (signal.aborted) break;
          onError(
            new SqsError(
              SqsErrorCode.receiveFailed,
              `ReceiveMessage from ${queueUrl} failed: ${(error as Error).message}`,
              {
                cause: error,
              },
            ),
          );
          await sleep(errorBackoffMs, signal);
          continue;
        }
        onError(
          new SqsError(
            SqsErrorCode.receiveFailed,
            `ReceiveMessage from ${queueUrl} failed: ${(error as Error).message}`,
            {
              cause: error,
            },
          ),
        );
      }
      if (messages.length > 0) await handleBatch(messages, release ?? (async () => {}), signal);
    }
  };

  return {
    get running() {
      return stopping !== null && !stopping.signal.aborted;
    },
    get inFlight() {
      return inFlight;
    },
    start() {
      if (stopping && !stopping.signal.aborted) return;
      const controller = new AbortController();
      stopping = controller;
      loops = Array.from({ length: concurrency }, () => loop(controller.signal));
    },
    async stop() {
      if (!stopping) return;
      stopping.abort();
      await Promise.all(loops);
      loops = [];
    },
  };
}
