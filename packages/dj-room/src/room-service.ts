import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DjRoomError, isDjRoomError } from "./errors.js";
import { admitAdd } from "./guest-limits.js";
import type { Guest, Playback, QueueEntry, Role, Room, VoteValue } from "./model.js";
import { skipThreshold, transitionPlayback } from "./playback-machine.js";
import { type Clock, systemClock } from "./ports/clock.js";
import type { EventPublisher, RoomEvent, RoomEventType } from "./ports/event-publisher.js";
import type { MusicProvider } from "./ports/music-provider.js";
import type { PlaybackController } from "./ports/playback-controller.js";
import type { RoomStore } from "./ports/room-store.js";
import { orderQueue } from "./queue-order.js";
import { generateRoomCode, normalizeRoomCode, type RandomIndex } from "./room-code.js";
import type { Session, SessionTokens } from "./session-tokens.js";
import {
  applySettingsPatch,
  defaultRoomSettings,
  type RoomSettingsPatch,
  roomSettingsPatchSchema,
} from "./settings.js";
import type { Track } from "./track.js";
import { trackIdSchema } from "./track.js";
import { type QueueItemView, queueItemView, type RoomStateView, type RoomView, roomView } from "./views.js";

export interface DjRoomOptions {
  store: RoomStore;
  provider: MusicProvider;
  tokens: SessionTokens;
  /** The host's player; without one the room keeps its own now-playing state only. */
  player?: PlaybackController;
  events?: EventPublisher;
  clock?: Clock;
  /** Rooms with no activity for this long close themselves. Default 4 hours. */
  idleTimeoutMs?: number;
  /** Default 1. */
  maxOpenRoomsPerHost?: number;
  /** Guests seen within this window count toward vote-to-skip. Default 15 minutes. */
  activeWindowMs?: number;
  random?: RandomIndex;
  /** Called when publishing an event or driving the player fails; the room state stands. */
  onSideEffectError?: (error: unknown, context: string) => void;
}

export interface SessionGrant {
  token: string;
  expiresAt: number;
  guest: { id: string; name: string; role: Role };
  room: RoomView;
}

export type AddOutcome = { outcome: "added" | "voted"; entry: QueueItemView };

const guestNameSchema = z.string().trim().min(1).max(40);
const roomNameSchema = z.string().trim().min(1).max(80);
const voteSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
const searchSchema = z.string().trim().min(1).max(200);

const CODE_ATTEMPTS = 8;
const TOUCH_EVERY_MS = 30_000;
const CONFLICT_RETRIES = 8;

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DjRoomError("validation", `Invalid ${field}`, {
    details: {
      issues: result.error.issues.map((i) => ({ path: [field, ...i.path].join("."), message: i.message })),
    },
  });
}

async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDjRoomError(error, "conflict") || attempt >= CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
  }
}

export type DjRoom = ReturnType<typeof createDjRoom>;

/** The dj-room application: every use case, over the ports it is given. */
export function createDjRoom(options: DjRoomOptions) {
  const { store, provider, tokens, player, events } = options;
  const clock = options.clock ?? systemClock;
  const idleTimeoutMs = options.idleTimeoutMs ?? 4 * 60 * 60 * 1000;
  const maxOpenRoomsPerHost = options.maxOpenRoomsPerHost ?? 1;
  const activeWindowMs = options.activeWindowMs ?? 15 * 60 * 1000;
  const sideEffectError = options.onSideEffectError ?? (() => {});

  const publish = async (roomId: string, type: RoomEventType, data: RoomEvent["data"] = {}) => {
    if (!events) return;
    try {
      await events.publish({ type, roomId, at: clock.now(), data });
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

  const isExpired = (room: Room) => room.status === "open" && clock.now() - room.lastActiveAt > idleTimeoutMs;

  /** Closes an idle room; true when it was (or already is) closed. */
  const expire = async (room: Room): Promise<boolean> => {
    if (!isExpired(room)) return room.status === "closed";
    try {
      await store.closeRoom(room.id, room.version, clock.now());
      await publish(room.id, "room.closed", { reason: "idle" });
    } catch (error) {
      if (!isDjRoomError(error, "conflict") && !isDjRoomError(error, "room_closed")) throw error;
    }
    return true;
  };

  const loadRoom = async (roomId: string): Promise<Room> => {
    const room = await store.getRoom(roomId);
    if (!room) throw new DjRoomError("room_not_found", "No such room");
    return room;
  };

  const openRoomOf = async (roomId: string): Promise<Room> => {
    const room = await loadRoom(roomId);
    if (room.status === "closed" || (await expire(room))) {
      throw new DjRoomError("room_closed", `Room ${room.code} is closed`);
    }
    return room;
  };

  const touch = async (room: Room) => {
    if (clock.now() - room.lastActiveAt < TOUCH_EVERY_MS) return;
    try {
      await store.updateRoom({ ...room, lastActiveAt: clock.now() }, room.version);
    } catch (error) {
      if (!isDjRoomError(error, "conflict")) throw error;
    }
  };

  const touchGuest = async (guest: Guest) => {
    if (clock.now() - guest.lastSeenAt < TOUCH_EVERY_MS) return;
    try {
      await store.updateGuest({ ...guest, lastSeenAt: clock.now() }, guest.version);
    } catch (error) {
      if (!isDjRoomError(error, "conflict")) throw error;
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

  const newGuest = (roomId: string, name: string, role: Role): Guest => {
    const now = clock.now();
    return {
      roomId,
      id: randomUUID(),
      name,
      role,
      banned: false,
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
        if (!isDjRoomError(error, "room_code_taken")) throw error;
        const holderId = await store.findOpenRoomId(code);
        const holder = holderId ? await store.getRoom(holderId) : null;
        if (holder && isExpired(holder)) {
          await expire(holder);
          attempt--;
        }
      }
    }
    throw new DjRoomError("conflict", "Could not find a free room code; try again");
  };

  /** Runs a claim; on the host's room limit, closes the host's idle rooms and tries once more. */
  const withinHostLimit = async <T>(hostId: string, claim: () => Promise<T>): Promise<T> => {
    try {
      return await claim();
    } catch (error) {
      if (!isDjRoomError(error, "host_room_limit")) throw error;
      const rooms = await store.listRoomsByHost(hostId);
      const expired = rooms.filter(isExpired);
      if (expired.length === 0) throw error;
      for (const room of expired) await expire(room);
      return claim();
    }
  };

  const requireSession = async (session: Session) => {
    const room = await openRoomOf(session.roomId);
    const guest = await store.getGuest(session.roomId, session.guestId);
    if (!guest) throw new DjRoomError("unauthorized", "Unknown guest");
    if (guest.banned) throw new DjRoomError("guest_banned", "You were removed from this room");
    return { room, guest };
  };

  const requireHost = async (session: Session) => {
    const context = await requireSession(session);
    if (context.guest.role !== "host") throw new DjRoomError("forbidden", "Only the host can do that");
    return context;
  };

  const guestMap = async (roomId: string) => new Map((await store.listGuests(roomId)).map((g) => [g.id, g]));

  const orderedQueue = async (room: Room) =>
    orderQueue(await store.listEntries(room.id, ["queued"]), { fairShare: room.settings.fairShare });

  const activeParticipants = async (roomId: string) => {
    const since = clock.now() - activeWindowMs;
    return (await store.listGuests(roomId)).filter((g) => !g.banned && g.lastSeenAt >= since).length;
  };

  /**
   * Ends (or skips) what is playing and starts the top of the queue, or goes idle. The room's
   * version makes one caller win; `expectedPlayId` keeps a late skip from skipping the next track.
   */
  const advance = async (
    roomId: string,
    how: "end" | "skip" | "start",
    expectedPlayId?: string,
  ): Promise<Playback> => {
    for (let attempt = 0; ; attempt++) {
      const room = await openRoomOf(roomId);
      const current = room.playback;
      const currentPlayId = current.phase === "idle" ? undefined : current.playId;
      if (expectedPlayId !== undefined && currentPlayId !== expectedPlayId) return current;
      if (how === "start" && current.phase === "playing") return current;
      const now = clock.now();
      let playback =
        current.phase === "playing"
          ? transitionPlayback(current, { type: how === "skip" ? "skip" : "end", at: now })
          : current;
      const [next] = await orderedQueue(room);
      playback = next
        ? transitionPlayback(playback, { type: "start", playId: randomUUID(), entry: next, at: now })
        : transitionPlayback(playback, { type: "stop", at: now });
      try {
        await store.updateRoom({ ...room, playback, lastActiveAt: now }, room.version);
      } catch (error) {
        if (isDjRoomError(error, "conflict") && attempt < CONFLICT_RETRIES) continue;
        throw error;
      }
      if (current.phase === "playing") {
        const to = how === "skip" ? "skipped" : "played";
        await store
          .transitionEntry(roomId, current.entryId, { from: "playing", to, endedAt: now })
          .catch(() => {});
      }
      if (next) {
        try {
          await store.transitionEntry(roomId, next.id, { from: "queued", to: "playing" });
        } catch (error) {
          // Removed between our read and our write: what we started is gone, so move on.
          if (!isDjRoomError(error, "entry_not_queued")) throw error;
          if (playback.phase === "playing") return advance(roomId, "end", playback.playId);
        }
      }
      await publish(roomId, "playback.changed", { playback });
      await publish(roomId, "queue.changed", {});
      if (playback.phase === "playing") {
        const trackId = playback.track.id;
        await drivePlayer("play", (p) => p.play(room.hostId, trackId));
      } else if (how === "skip") {
        await drivePlayer("skip", (p) => p.skip(room.hostId));
      }
      return playback;
    }
  };

  const hostSession = async (hostId: string, roomId: string): Promise<SessionGrant> => {
    const room = await loadRoom(roomId);
    if (room.hostId !== hostId) throw new DjRoomError("forbidden", "Not your room");
    const guests = await store.listGuests(roomId);
    const host = guests.find((g) => g.role === "host");
    if (!host) throw new DjRoomError("guest_not_found", "The room has no host guest");
    return grant(room, host);
  };

  const findRoom = async (codeInput: string): Promise<RoomView> => {
    const code = normalizeRoomCode(codeInput);
    const roomId = code ? await store.findOpenRoomId(code) : null;
    const room = roomId ? await store.getRoom(roomId) : null;
    if (room?.status !== "open" || (await expire(room))) {
      throw new DjRoomError("room_not_found", `No open room with code ${codeInput.trim().toUpperCase()}`);
    }
    return roomView(room);
  };

  return {
    /** Opens a room for an authenticated host; the server picks the code. */
    async openRoom(hostId: string, input: { name?: unknown; hostName?: unknown; settings?: unknown } = {}) {
      const name = input.name === undefined ? "DJ room" : parse(roomNameSchema, input.name, "name");
      const hostName =
        input.hostName === undefined ? "Host" : parse(guestNameSchema, input.hostName, "hostName");
      const patch =
        input.settings === undefined ? {} : parse(roomSettingsPatchSchema, input.settings, "settings");
      const now = clock.now();
      const room = await withinHostLimit(hostId, () =>
        withFreshCode(async (code) => {
          const room: Room = {
            id: randomUUID(),
            code,
            hostId,
            name,
            status: "open",
            settings: applySettingsPatch(defaultRoomSettings, patch),
            playback: { phase: "idle", since: now },
            createdAt: now,
            lastActiveAt: now,
            closedAt: null,
            version: 0,
          };
          await store.createRoom(room, { maxOpenRoomsPerHost });
          return room;
        }),
      );
      const host = newGuest(room.id, hostName, "host");
      await store.createGuest(host);
      return grant(room, host);
    },

    /** A fresh host session for one of the host's rooms (after a reload, or to reopen it). */
    hostSession,

    async listHostRooms(hostId: string): Promise<RoomView[]> {
      return (await store.listRoomsByHost(hostId)).map(roomView);
    },

    /** Looks a room up by its code (any case); closed, idle and unknown codes are not found. */
    findRoom,

    /** The room a session belongs to, open or closed. */
    async roomOf(session: Session): Promise<RoomView> {
      return roomView(await loadRoom(session.roomId));
    },

    async joinRoom(codeInput: string, input: { name?: unknown }): Promise<SessionGrant> {
      const name = parse(guestNameSchema, input.name, "name");
      const { id } = await findRoom(codeInput);
      const room = await openRoomOf(id);
      const guest = newGuest(room.id, name, "guest");
      await store.createGuest(guest);
      await touch(room);
      await publish(room.id, "guest.joined", { guestId: guest.id });
      return grant(room, guest);
    },

    /** Verifies a session token and that its guest may still act in its room. */
    async authenticate(token: string): Promise<Session> {
      const session = await tokens.verify(token);
      const guest = await store.getGuest(session.roomId, session.guestId);
      if (!guest) throw new DjRoomError("unauthorized", "Unknown guest");
      if (guest.banned) throw new DjRoomError("guest_banned", "You were removed from this room");
      return session;
    },

    async getState(session: Session): Promise<RoomStateView> {
      const room = await loadRoom(session.roomId);
      const guests = await guestMap(room.id);
      const me = guests.get(session.guestId);
      if (!me) throw new DjRoomError("unauthorized", "Unknown guest");
      // Watching the room counts as being present, for vote-to-skip.
      if (room.status === "open" && !me.banned) await touchGuest(me);
      const [queued, myVotes, all] = await Promise.all([
        orderedQueue(room),
        store.listVotes(room.id, me.id),
        store.listEntries(room.id, ["played", "skipped"]),
      ]);
      const history = all
        .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0) || b.seq - a.seq)
        .slice(0, 20)
        .map((e) => ({ id: e.id, track: e.track, status: e.status, endedAt: e.endedAt }));
      let skipVotes: RoomStateView["skipVotes"] = null;
      if (room.playback.phase === "playing") {
        skipVotes = {
          votes: await store.countSkipVotes(room.id, room.playback.playId),
          needed: skipThreshold(await activeParticipants(room.id), room.settings.voteSkip),
        };
      }
      return {
        room: roomView(room),
        me: { id: me.id, name: me.name, role: me.role },
        queue: queued.map((e, i) => queueItemView(e, i + 1, guests, myVotes)),
        history,
        guests: [...guests.values()].map((g) => ({ id: g.id, name: g.name, role: g.role, banned: g.banned })),
        skipVotes,
      };
    },

    async search(session: Session, query: unknown, limit = 20): Promise<Track[]> {
      await requireSession(session);
      return provider.search(parse(searchSchema, query, "q"), { limit });
    },

    /**
     * Queues a track by provider id (metadata from the provider). A track already queued
     * counts as the adder's up vote instead.
     */
    async addTrack(session: Session, trackIdInput: unknown): Promise<AddOutcome> {
      const trackId = parse(trackIdSchema, trackIdInput, "trackId");
      const { room, guest: initialGuest } = await requireSession(session);
      if (room.settings.locked && initialGuest.role !== "host") {
        throw new DjRoomError("queue_locked", "The host has locked the queue");
      }
      const track = await provider.getTrack(trackId);
      if (!track) throw new DjRoomError("track_not_found", `No track ${trackId}`, { details: { trackId } });
      const guests = await guestMap(room.id);
      try {
        const entry = await retryOnConflict(async () => {
          const guest = await store.getGuest(room.id, session.guestId);
          if (!guest) throw new DjRoomError("unauthorized", "Unknown guest");
          const queued = await store.listEntries(room.id, ["queued"]);
          const mine = queued.filter((e) => e.addedBy === guest.id).length;
          const existing = queued.find((e) => e.track.id === track.id);
          if (existing) {
            throw new DjRoomError("track_already_queued", "Already queued", {
              details: { entryId: existing.id },
            });
          }
          const now = clock.now();
          const updated =
            guest.role === "host"
              ? { ...guest, lastSeenAt: now }
              : admitAdd(guest, mine, room.settings.limits, now);
          const entry: QueueEntry = {
            roomId: room.id,
            id: randomUUID(),
            seq: await store.nextSequence(room.id),
            track,
            addedBy: guest.id,
            addedAt: now,
            status: "queued",
            up: 0,
            down: 0,
            pinnedSeq: null,
            endedAt: null,
          };
          await store.addEntry(entry, updated, guest.version);
          return entry;
        });
        await touch(room);
        await publish(room.id, "queue.changed", { entryId: entry.id, guestId: session.guestId });
        return { outcome: "added", entry: queueItemView(entry, 0, guests, {}) };
      } catch (error) {
        if (!isDjRoomError(error, "track_already_queued")) throw error;
        const entryId = String(error.details?.entryId);
        const entry = await store.setVote(room.id, entryId, session.guestId, 1);
        await publish(room.id, "votes.changed", { entryId, guestId: session.guestId });
        return { outcome: "voted", entry: queueItemView(entry, 0, guests, { [entryId]: 1 }) };
      }
    },

    /** Up (1), down (-1) or no (0) vote; one per voter per entry, idempotent. */
    async vote(
      session: Session,
      entryId: string,
      valueInput: unknown,
    ): Promise<{ entryId: string; up: number; down: number; score: number; myVote: VoteValue }> {
      const value = parse(voteSchema, valueInput, "value");
      const { room, guest } = await requireSession(session);
      const entry = await store.setVote(room.id, entryId, guest.id, value);
      await touchGuest(guest);
      await touch(room);
      await publish(room.id, "votes.changed", { entryId, guestId: guest.id });
      return { entryId, up: entry.up, down: entry.down, score: entry.up - entry.down, myVote: value };
    },

    async removeEntry(session: Session, entryId: string): Promise<void> {
      const { room } = await requireHost(session);
      await store.transitionEntry(room.id, entryId, { from: "queued", to: "removed", endedAt: clock.now() });
      await publish(room.id, "queue.changed", { entryId });
    },

    async playNext(session: Session, entryId: string): Promise<void> {
      const { room } = await requireHost(session);
      await store.pinEntry(room.id, entryId, await store.nextSequence(room.id));
      await publish(room.id, "queue.changed", { entryId });
    },

    /** Starts the top of the queue when nothing plays. */
    async start(session: Session): Promise<Playback> {
      const { room } = await requireHost(session);
      return advance(room.id, "start");
    },

    /** Skips the playing track (only the one the host saw, when `playId` is given). */
    async skip(session: Session, playId?: string): Promise<Playback> {
      const { room } = await requireHost(session);
      if (room.playback.phase !== "playing") {
        throw new DjRoomError("invalid_transition", "Nothing is playing", {
          details: { phase: room.playback.phase },
        });
      }
      return advance(room.id, "skip", playId ?? room.playback.playId);
    },

    async voteToSkip(
      session: Session,
    ): Promise<{ votes: number; needed: number; skipped: boolean; playback: Playback }> {
      const { room, guest } = await requireSession(session);
      const playback = room.playback;
      if (playback.phase !== "playing") {
        throw new DjRoomError("invalid_transition", "Nothing is playing", {
          details: { phase: playback.phase },
        });
      }
      await touchGuest(guest);
      const votes = await store.addSkipVote(room.id, playback.playId, guest.id);
      const needed = skipThreshold(await activeParticipants(room.id), room.settings.voteSkip);
      if (votes < needed) {
        await publish(room.id, "votes.changed", { skipVotes: votes, needed });
        return { votes, needed, skipped: false, playback };
      }
      return { votes, needed, skipped: true, playback: await advance(room.id, "skip", playback.playId) };
    },

    /** Reads the host's player: when the room's track finished there, plays the next one. */
    async syncPlayback(roomId: string): Promise<Playback> {
      const room = await openRoomOf(roomId);
      const playback = room.playback;
      if (!player || playback.phase !== "playing") return playback;
      const state = await player.currentlyPlaying(room.hostId);
      const finished = !state || state.trackId !== playback.track.id || !state.isPlaying;
      return finished ? advance(room.id, "end", playback.playId) : playback;
    },

    async banGuest(session: Session, guestId: string): Promise<void> {
      const { room } = await requireHost(session);
      await retryOnConflict(async () => {
        const guest = await store.getGuest(room.id, guestId);
        if (!guest) throw new DjRoomError("guest_not_found", `No guest ${guestId}`);
        if (guest.role === "host") throw new DjRoomError("forbidden", "The host cannot be banned");
        if (!guest.banned) await store.updateGuest({ ...guest, banned: true }, guest.version);
      });
      for (const entry of await store.listEntries(room.id, ["queued"])) {
        if (entry.addedBy !== guestId) continue;
        await store
          .transitionEntry(room.id, entry.id, { from: "queued", to: "removed", endedAt: clock.now() })
          .catch((error) => {
            if (!isDjRoomError(error, "entry_not_queued")) throw error;
          });
      }
      await publish(room.id, "queue.changed", { guestId, banned: true });
    },

    async updateSettings(session: Session, patchInput: unknown): Promise<RoomView> {
      const patch: RoomSettingsPatch = parse(roomSettingsPatchSchema, patchInput, "settings");
      const { room: initial } = await requireHost(session);
      const updated = await retryOnConflict(async () => {
        const room = await openRoomOf(initial.id);
        return store.updateRoom(
          { ...room, settings: applySettingsPatch(room.settings, patch) },
          room.version,
        );
      });
      await publish(updated.id, "settings.changed", { settings: updated.settings });
      return roomView(updated);
    },

    async closeRoom(session: Session): Promise<RoomView> {
      const { room: initial } = await requireHost(session);
      const closed = await retryOnConflict(async () => {
        const room = await loadRoom(initial.id);
        return store.closeRoom(room.id, room.version, clock.now());
      });
      await publish(closed.id, "room.closed", { reason: "host" });
      return roomView(closed);
    },

    /** Reopens a closed room under its old code, or a new one when that code was taken meanwhile. */
    async reopenRoom(hostId: string, roomId: string): Promise<SessionGrant> {
      const room = await loadRoom(roomId);
      if (room.hostId !== hostId) throw new DjRoomError("forbidden", "Not your room");
      if (room.status === "open") throw new DjRoomError("conflict", "The room is open");
      const reopened = await withinHostLimit(hostId, () =>
        withFreshCode(async (code) => {
          const current = await loadRoom(roomId);
          return store.reopenRoom(roomId, code, current.version, { maxOpenRoomsPerHost });
        }, room.code),
      );
      const touched = await store.updateRoom({ ...reopened, lastActiveAt: clock.now() }, reopened.version);
      await publish(roomId, "room.reopened", {});
      return hostSession(hostId, touched.id);
    },
  };
}
