import { randomUUID } from "node:crypto";
import { DjRoomError, isDjRoomError } from "../errors.js";
import type { Guest, Role, Room } from "../model.js";
import { epochMs, systemClock } from "../ports/clock.js";
import type { RoomEvent, RoomEventType } from "../ports/event-publisher.js";
import type { PlaybackController } from "../ports/playback-controller.js";
import { orderQueue } from "../queue-order.js";
import { generateRoomCode, normalizeRoomCode } from "../room-code.js";
import type { Session } from "../session-tokens.js";
import { type RoomView, roomView } from "../views.js";
import { guardStore } from "./store-guard.js";
import { CODE_ATTEMPTS, TOUCH_EVERY_MS } from "./support.js";
import type { DjRoomOptions, SessionGrant } from "./types.js";

/** What every use case shares: the ports, the settings, and the room and session helpers. */
export function createRoomContext(options: DjRoomOptions) {
  const { provider, tokens, player, events } = options;
  const store = guardStore(options.store);
  const source = options.clock ?? systemClock;
  /** Rooms keep epoch milliseconds. */
  const clock = { now: () => epochMs(source) };
  const idleTimeoutMs = options.idleTimeoutMs ?? 4 * 60 * 60 * 1000;
  const maxOpenRoomsPerHost = options.maxOpenRoomsPerHost ?? 1;
  const activeWindowMs = options.activeWindowMs ?? 15 * 60 * 1000;
  const sideEffectError = options.onSideEffectError ?? (() => {});

  const publish = async (roomId: string, type: RoomEventType, data: RoomEvent["data"] = {}) => {
    if (!events) return;
    try {
      // Counted after the change is stored, so a reader that saw this version sees the change.
      const version = await store.nextChangeVersion(roomId);
      await events.publish({ type, roomId, version, at: clock.now(), data });
    } catch (error) {
      sideEffectError(error, `publish ${type}`);
    }
  };
  const drivePlayer = async (context: string, work: (p: PlaybackController) => Promise<void>) => {
    if (!player) return;
    try {
      await work(player);
    } catch (error) {
      sideEffectError(error, context);
    }
  };

  /** The host's market for catalog lookups; unknown (no market) when the player cannot say. */
  const marketOf = async (hostId: string): Promise<string | undefined> => {
    if (!player?.market) return undefined;
    try {
      return (await player.market(hostId)) ?? undefined;
    } catch (error) {
      sideEffectError(error, "market");
      return undefined;
    }
  };

  const isExpired = (room: Room) => room.status === "open" && clock.now() - room.lastActiveAt > idleTimeoutMs;

  /** Closes an idle room; true when it was (or already is) closed. */
  const expire = async (room: Room): Promise<boolean> => {
    if (!isExpired(room)) return room.status === "closed";
    try {
      await store.closeRoom(room.id, room.version, clock.now());
      await publish(room.id, "room.closed", { reason: "idle" });
    } catch (error) {
      if (!isDjRoomError(error, "CONFLICT") && !isDjRoomError(error, "ROOM_CLOSED")) throw error;
    }
    return true;
  };

  const loadRoom = async (roomId: string): Promise<Room> => {
    const room = await store.getRoom(roomId);
    if (!room) throw new DjRoomError("ROOM_NOT_FOUND", "No such room");
    return room;
  };

  const openRoomOf = async (roomId: string): Promise<Room> => {
    const room = await loadRoom(roomId);
    if (room.status === "closed" || (await expire(room))) {
      throw new DjRoomError("ROOM_CLOSED", `Room ${room.code} is closed`);
    }
    return room;
  };

  const touch = async (room: Room) => {
    if (clock.now() - room.lastActiveAt < TOUCH_EVERY_MS) return;
    try {
      await store.updateRoom({ ...room, lastActiveAt: clock.now() }, room.version);
    } catch (error) {
      if (!isDjRoomError(error, "CONFLICT")) throw error;
    }
  };

  const touchGuest = async (guest: Guest) => {
    if (clock.now() - guest.lastSeenAt < TOUCH_EVERY_MS) return;
    try {
      await store.updateGuest({ ...guest, lastSeenAt: clock.now() }, guest.version);
    } catch (error) {
      if (!isDjRoomError(error, "CONFLICT")) throw error;
    }
  };

  const grant = async (room: Room, guest: Guest): Promise<SessionGrant> => {
    const { token, expiresAt } = await tokens.issue({ roomId: room.id, guestId: guest.id, role: guest.role });
    return {
      token,
      expiresAt,
      guest: { id: guest.id, name: guest.name, role: guest.role },
      room: roomView(room),
    };
  };

  const newGuest = (roomId: string, name: string, role: Role, deviceId: string | null = null): Guest => {
    const now = clock.now();
    return {
      roomId,
      id: randomUUID(),
      name,
      role,
      banned: false,
      deviceId,
      joinedAt: now,
      lastSeenAt: now,
      lastAddAt: null,
      addWindowStart: 0,
      addWindowCount: 0,
      version: 0,
    };
  };

  /** Claims a fresh code, retrying on collision; frees codes held by idle rooms on the way. */
  const withFreshCode = async <T>(claim: (code: string) => Promise<T>, preferred?: string): Promise<T> => {
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = attempt === 0 && preferred ? preferred : generateRoomCode(options.random);
      try {
        return await claim(code);
      } catch (error) {
        if (!isDjRoomError(error, "ROOM_CODE_TAKEN")) throw error;
        const holderId = await store.findOpenRoomId(code);
        const holder = holderId ? await store.getRoom(holderId) : null;
        if (holder && isExpired(holder)) {
          await expire(holder);
          attempt--;
        }
      }
    }
    throw new DjRoomError("CONFLICT", "Could not find a free room code; try again");
  };

  /** Runs a claim; on the host's room limit, closes the host's idle rooms and tries once more. */
  const withinHostLimit = async <T>(hostId: string, claim: () => Promise<T>): Promise<T> => {
    try {
      return await claim();
    } catch (error) {
      if (!isDjRoomError(error, "HOST_ROOM_LIMIT")) throw error;
      const rooms = await store.listRoomsByHost(hostId);
      const expired = rooms.filter(isExpired);
      if (expired.length === 0) throw error;
      for (const room of expired) await expire(room);
      return claim();
    }
  };

  const requireSession = async (session: Session) => {
    if (session.role === "viewer")
      throw new DjRoomError("FORBIDDEN", "A screen can follow the room, not act in it");
    const room = await openRoomOf(session.roomId);
    const guest = await store.getGuest(session.roomId, session.guestId);
    if (!guest) throw new DjRoomError("UNAUTHORIZED", "Unknown guest");
    if (guest.banned) throw new DjRoomError("GUEST_BANNED", "You were removed from this room");
    return { room, guest };
  };

  const requireHost = async (session: Session) => {
    const context = await requireSession(session);
    if (context.guest.role !== "host") throw new DjRoomError("FORBIDDEN", "Only the host can do that");
    return context;
  };

  const guestMap = async (roomId: string) => new Map((await store.listGuests(roomId)).map((g) => [g.id, g]));

  const orderedQueue = async (room: Room) =>
    orderQueue(await store.listEntries(room.id, ["queued"]), { fairShare: room.settings.fairShare });

  const activeParticipants = async (roomId: string) => {
    const since = clock.now() - activeWindowMs;
    return (await store.listGuests(roomId)).filter((g) => !g.banned && g.lastSeenAt >= since).length;
  };

  const hostSession = async (hostId: string, roomId: string): Promise<SessionGrant> => {
    const room = await loadRoom(roomId);
    if (room.hostId !== hostId) throw new DjRoomError("FORBIDDEN", "Not your room");
    const guests = await store.listGuests(roomId);
    const host = guests.find((g) => g.role === "host");
    if (!host) throw new DjRoomError("GUEST_NOT_FOUND", "The room has no host guest");
    return grant(room, host);
  };

  const findRoom = async (codeInput: string): Promise<RoomView> => {
    const code = normalizeRoomCode(codeInput);
    const roomId = code ? await store.findOpenRoomId(code) : null;
    const room = roomId ? await store.getRoom(roomId) : null;
    if (room?.status !== "open" || (await expire(room))) {
      throw new DjRoomError("ROOM_NOT_FOUND", `No open room with code ${codeInput.trim().toUpperCase()}`);
    }
    return roomView(room);
  };

  return {
    store,
    provider,
    tokens,
    player,
    events,
    clock,
    idleTimeoutMs,
    maxOpenRoomsPerHost,
    activeWindowMs,
    sideEffectError,
    publish,
    drivePlayer,
    marketOf,
    isExpired,
    expire,
    loadRoom,
    openRoomOf,
    touch,
    touchGuest,
    grant,
    newGuest,
    withFreshCode,
    withinHostLimit,
    requireSession,
    requireHost,
    guestMap,
    orderedQueue,
    activeParticipants,
    hostSession,
    findRoom,
  };
}

export type RoomContext = ReturnType<typeof createRoomContext>;
