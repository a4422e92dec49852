import {
  createDjRoom,
  createInProcessRoomEvents,
  createMemoryCatalog,
  createMemoryPlayer,
  createMemoryRoomStore,
  createSessionTokens,
  type DjRoomOptions,
  type RoomEvent,
} from "@portside/dj-room";

export function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => new Date(now),
    /** Epoch ms, for the options that take a number (session tokens). */
    ms: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A dj-room on the memory store, demo catalog and demo player, with a hand-driven clock. */
export function testRoom(overrides: Partial<DjRoomOptions> = {}) {
  const clock = manualClock();
  const store = createMemoryRoomStore();
  const catalog = createMemoryCatalog();
  const player = createMemoryPlayer({ catalog, clock });
  const bus = createInProcessRoomEvents();
  const events: RoomEvent[] = [];
  const tokens = createSessionTokens({ secret: "test-secret-test-secret-test-secret", now: clock.ms });
  const dj = createDjRoom({
    store,
    provider: catalog,
    player,
    events: {
      async publish(event) {
        events.push(event);
        await bus.publish(event);
      },
    },
    tokens,
    clock,
    ...overrides,
  });
  return { dj, clock, store, catalog, player, bus, events, tokens };
}
