import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { EventBridgeErrorCode, EventPublishError, type FailedEventEntry } from "./errors.js";

/** The shape every domain's `EventPublisher` port publishes: a type and a JSON-serialisable detail. */
export interface PublishableEvent {
  readonly type: string;
  readonly detail: unknown;
  /** When the event happened; EventBridge stamps the put time when absent. */
  readonly time?: Date;
  /** ARNs or ids the event concerns (EventBridge's `Resources`). */
  readonly resources?: readonly string[];
}

/** Options of `createEventBridgePublisher`: the client, the bus and the events' `source`. */
export interface EventBridgePublisherOptions {
  client: EventBridgeClient;
  /** Bus name or ARN; `default` is the account's default bus. */
  eventBusName: string;
  /** `source` of every entry, e.g. `portside.profile-deps`. */
  source: string;
}

/**
 * Publishes to EventBridge. `publish` takes one event or a list, so it structurally
 * satisfies any domain port shaped `publish(event)` or `publish(events)`.
 */
export interface EventBridgePublisher {
  /** Publishes one event or a list, in calls of at most 10 entries and 256 KiB. */
  publish(events: PublishableEvent | readonly PublishableEvent[]): Promise<void>;
}

/** PutEvents accepts at most 10 entries and 256 KiB per call. */
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

function entrySize(entry: PutEventsRequestEntry): number {
  let size = 0;
  if (entry.Time) size += 14;
  size += Buffer.byteLength(entry.Source ?? "");
  size += Buffer.byteLength(entry.DetailType ?? "");
  size += Buffer.byteLength(entry.Detail ?? "");
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource);
  return size;
}

/** Splits entries into calls of at most 10 entries and 256 KiB, keeping order. */
export function batchEntries(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const batches: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** `createEventBridgePublisher({ client, eventBusName, source })`: `{ type, detail }` become PutEvents entries. */
export function createEventBridgePublisher(options: EventBridgePublisherOptions): EventBridgePublisher {
  const { client, eventBusName, source } = options;

  const toEntry = (event: PublishableEvent): PutEventsRequestEntry => {
    const entry: PutEventsRequestEntry = {
      EventBusName: eventBusName,
      Source: source,
      DetailType: event.type,
      Detail: JSON.stringify(event.detail ?? {}),
    };
    if (event.time) entry.Time = event.time;
    if (event.resources?.length) entry.Resources = [...event.resources];
    const size = entrySize(entry);
    if (size > MAX_BYTES) {
      throw new EventPublishError(
        EventBridgeErrorCode.eventTooLarge,
        `Event ${event.type} is ${size} bytes; EventBridge accepts at most ${MAX_BYTES}`,
      );
    }
    return entry;
  };

  return {
    async publish(input) {
      const events: readonly PublishableEvent[] = Array.isArray(input) ? input : [input as PublishableEvent];
      if (events.length === 0) return;
      const entries = events.map(toEntry);
      let published = 0;
      for (const batch of batchEntries(entries)) {
        let response: PutEventsCommandOutput;
        try {
          response = await client.send(new PutEventsCommand({ Entries: batch }));
        } catch (error) {
          throw new EventPublishError(
            EventBridgeErrorCode.publishFailed,
            `PutEvents to ${eventBusName} failed: ${(error as Error).message}`,
            { published, cause: error },
          );
        }
        const failed: FailedEventEntry[] = [];
        (response.Entries ?? []).forEach((result, i) => {
          if (result.ErrorCode) {
            failed.push({
              type: batch[i]?.DetailType ?? "",
              errorCode: result.ErrorCode,
              errorMessage: result.ErrorMessage ?? "",
            });
          }
        });
        published += batch.length - failed.length;
        if (failed.length > 0 || (response.FailedEntryCount ?? 0) > 0) {
          const first = failed[0];
          throw new EventPublishError(
            EventBridgeErrorCode.publishFailed,
            `EventBridge rejected ${failed.length || response.FailedEntryCount} of ${batch.length} events` +
              (first ? ` (${first.type}: ${first.errorCode} ${first.errorMessage})` : ""),
            { failed, published },
          );
        }
      }
    },
  };
}
