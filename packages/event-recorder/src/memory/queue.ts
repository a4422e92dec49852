import { randomUUID } from "node:crypto";
import type { InboundMessage } from "../ports.js";

/** Options of `createMemoryQueue`. */
export interface MemoryQueueOptions {
  /** Messages per handler call. Default 100. */
  batchSize?: number;
  /** How long a failed message waits before it is handed out again. Default 1000 ms. */
  retryDelayMs?: number;
}

/** Handles one batch of queued messages and names those to retry. */
export type QueueBatchHandler = (
  messages: readonly InboundMessage[],
) => Promise<{ retryIds: readonly string[] }>;

/**
 * An in-process queue with SQS's delivery rules (at least once, failed messages come back
 * after a delay) for hosts without SQS: the Express demo's `POST /events` sends into it.
 */
export interface MemoryQueue {
  /** Queues a body and returns its message id. */
  send(body: string, attributes?: Record<string, string>): string;
  /** Starts handing batches to `handler`, one batch at a time. */
  start(handler: QueueBatchHandler): void;
  /** Stops taking new batches and waits for the one in flight. */
  stop(): Promise<void>;
  /** Resolves once every message sent so far has been handled successfully. */
  drained(): Promise<void>;
  readonly depth: number;
}

/** An in-process queue feeding a batch handler, retrying what it asks to retry: for the demo and tests. */
export function createMemoryQueue(options: MemoryQueueOptions = {}): MemoryQueue {
  const batchSize = options.batchSize ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const ready: InboundMessage[] = [];
  let waiting = 0;
  let wake: (() => void) | null = null;
  let running: Promise<void> | null = null;
  let stopping = false;
  const idle: (() => void)[] = [];

  const notify = () => {
    wake?.();
    wake = null;
  };
  const checkIdle = () => {
    if (ready.length === 0 && waiting === 0) for (const resolve of idle.splice(0)) resolve();
  };

  const loop = async (handler: QueueBatchHandler) => {
    while (!stopping) {
      if (ready.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const batch = ready.splice(0, batchSize);
      waiting += batch.length;
      let retry: Set<string>;
      try {
        retry = new Set((await handler(batch)).retryIds);
      } catch {
        retry = new Set(batch.map((m) => m.id));
      }
      const failed = batch.filter((m) => retry.has(m.id));
      waiting -= batch.length - failed.length;
      if (failed.length > 0) {
        setTimeout(() => {
          waiting -= failed.length;
          ready.push(...failed);
          notify();
        }, retryDelayMs).unref?.();
      }
      checkIdle();
    }
  };

  return {
    send(body, attributes) {
      const id = randomUUID();
      ready.push({ id, body, attributes: attributes ?? {} });
      notify();
      return id;
    },
    start(handler) {
      if (running) return;
      stopping = false;
      running = loop(handler);
    },
    async stop() {
      stopping = true;
      notify();
      await running;
      running = null;
    },
    drained() {
      return new Promise((resolve) => {
        idle.push(resolve);
        checkIdle();
      });
    },
    get depth() {
      return ready.length + waiting;
    },
  };
}
