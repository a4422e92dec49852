import type { RoutedEvent } from "../event/routing.js";
import type { EventQuery, EventReader, EventSink, Page, SinkOutcome, StoredEvent } from "../ports.js";
import { decodeCursor, encodeCursor, queryLimit } from "./cursor.js";

export interface MemoryEventSink extends EventSink, EventReader {
  /** Every stored event, oldest first by timestamp then id. */
  all(): StoredEvent[];
}

function toStored(event: RoutedEvent): StoredEvent {
  const stored: StoredEvent = { ...event.audit };
  if (event.billing) {
    const { eventId: _e, timestamp: _t, sessionId: _s, ...billing } = event.billing;
    stored.billing = billing;
  }
  if (event.fraud) {
    const { eventId: _e, timestamp: _t, sessionId: _s, ...fraud } = event.fraud;
    stored.fraud = fraud;
  }
  return stored;
}

const byTimeThenId = (a: StoredEvent, b: StoredEvent) =>
  a.timestamp.getTime() - b.timestamp.getTime() ||
  (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * In-memory sink and reader with the same duplicate and paging rules as the PostgreSQL one:
 * an event is a duplicate when its id and time are recorded; the same id at another time is a
 * new event, whose billing or fraud row is not kept a second time.
 */
export function createMemoryEventSink(): MemoryEventSink {
  const events = new Map<string, StoredEvent>();
  const routedIds = new Set<string>();
  return {
    async write(batch) {
      return batch.map((event): SinkOutcome => {
        const key = `${event.audit.eventId}\u0000${event.audit.timestamp.getTime()}`;
        if (events.has(key)) return { status: "duplicate" };
        const stored = structuredClone(toStored(event));
        if (routedIds.has(event.audit.eventId)) {
          delete stored.billing;
          delete stored.fraud;
        } else if (stored.billing || stored.fraud) routedIds.add(event.audit.eventId);
        events.set(key, stored);
        return { status: "recorded" };
      });
    },
    async getEvent(eventId) {
      const found = [...events.values()].filter((e) => e.eventId === eventId).sort(byTimeThenId)[0];
      return found ? structuredClone(found) : null;
    },
    async listEvents(query: EventQuery = {}): Promise<Page<StoredEvent>> {
      const limit = queryLimit(query.limit);
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      const matching = [...events.values()]
        .filter((e) => query.sessionId === undefined || e.sessionId === query.sessionId)
        .filter((e) => query.eventType === undefined || e.eventType === query.eventType)
        .filter((e) => !query.from || e.timestamp >= query.from)
        .filter((e) => !query.to || e.timestamp < query.to)
        .filter(
          (e) =>
            !after ||
            e.timestamp.getTime() > after.time.getTime() ||
            (e.timestamp.getTime() === after.time.getTime() && e.eventId > after.eventId),
        )
        .sort(byTimeThenId);
      const items = matching.slice(0, limit).map((e) => structuredClone(e));
      const last = items[items.length - 1];
      return matching.length > limit && last
        ? { items, next: encodeCursor(last.timestamp, last.eventId) }
        : { items };
    },
    all() {
      return [...events.values()].sort(byTimeThenId).map((e) => structuredClone(e));
    },
  };
}
