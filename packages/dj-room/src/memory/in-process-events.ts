import type { EventPublisher, RoomEvent, RoomEventSource } from "../ports/event-publisher.js";

/** An in-process bus: publish room events and subscribe to one room's (for SSE). */
export function createInProcessRoomEvents(): EventPublisher & RoomEventSource {
  const listeners = new Map<string, Set<(event: RoomEvent) => void>>();
  return {
    async publish(event) {
      for (const listener of [...(listeners.get(event.roomId) ?? [])]) {
        try {
          listener(event);
        } catch {
          // One broken subscriber must not keep the event from the others.
        }
      }
    },
    subscribe(roomId, listener) {
      const set = listeners.get(roomId) ?? new Set();
      set.add(listener);
      listeners.set(roomId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(roomId);
      };
    },
  };
}
