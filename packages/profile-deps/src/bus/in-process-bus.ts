/** Any `{ type, detail }` event, as every domain's publisher port carries. */
export interface BusEvent {
  readonly type: string;
  readonly detail: unknown;
}

/** Handles one event delivered by the bus. */
export type BusSubscriber = (event: BusEvent) => Promise<unknown> | unknown;

/** Options of `createInProcessBus`. */
export interface InProcessBusOptions {
  /** Called when a subscriber throws; the default logs to stderr. The event is not redelivered. */
  onError?: (error: unknown, event: BusEvent) => void;
}

/** An asynchronous event bus inside one process: publish returns at once, subscribers run later. */
export interface InProcessBus {
  /** Queues delivery and returns at once: subscribers run later, as with a real bus. */
  publish(event: BusEvent | readonly BusEvent[]): Promise<void>;
  /** Subscribes to one type (or `*` for all); returns the unsubscribe function. */
  subscribe(type: string, subscriber: BusSubscriber): () => void;
  /** Resolves once every queued delivery, including ones those deliveries publish, has run. */
  idle(): Promise<void>;
  /** Stops accepting events; pending deliveries still run. */
  close(): Promise<void>;
}

/**
 * An in-process event bus that delivers asynchronously: `publish` never runs a subscriber
 * on the caller's stack, and a subscriber's failure never reaches the publisher.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): InProcessBus {
  const subscribers = new Map<string, Set<BusSubscriber>>();
  const onError =
    options.onError ?? ((error, event) => console.error(`[bus] subscriber of ${event.type} failed:`, error));
  let pending = 0;
  let closed = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    pending--;
    if (pending === 0) {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };

  const deliver = (event: BusEvent) => {
    const targets = [...(subscribers.get(event.type) ?? []), ...(subscribers.get("*") ?? [])];
    for (const subscriber of targets) {
      pending++;
      setImmediate(() => {
        Promise.resolve()
          .then(() => subscriber(event))
          .catch((error: unknown) => onError(error, event))
          .finally(settle);
      });
    }
  };

  return {
    async publish(input) {
      if (closed) throw new Error("The in-process bus is closed");
      const events: readonly BusEvent[] = Array.isArray(input) ? input : [input as BusEvent];
      for (const event of events) deliver(structuredClone({ type: event.type, detail: event.detail }));
    },
    subscribe(type, subscriber) {
      let set = subscribers.get(type);
      if (!set) {
        set = new Set();
        subscribers.set(type, set);
      }
      set.add(subscriber);
      return () => set.delete(subscriber);
    },
    idle() {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      closed = true;
      await this.idle();
    },
  };
}
