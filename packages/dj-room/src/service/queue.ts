import { randomUUID } from "node:crypto";
import { DjRoomError, isDjRoomError } from "../errors.js";
import { admitAdd } from "../guest-limits.js";
import type { Guest, QueueEntry, VoteValue } from "../model.js";
import { skipThreshold } from "../playback-machine.js";
import type { Session } from "../session-tokens.js";
import type { Track } from "../track.js";
import { trackIdSchema } from "../track.js";
import { queueItemView, type RoomStateView, roomView } from "../views.js";
import type { RoomContext } from "./context.js";
import type { VoteInput } from "./inputs.js";
import { parse, retryOnConflict, searchSchema, voteSchema } from "./support.js";
import type { AddOutcome } from "./types.js";

/** The room state, search, adding tracks, votes and the host's queue edits. */
export function queueUseCases(ctx: RoomContext) {
  const {
    store,
    provider,
    clock,
    publish,
    loadRoom,
    touch,
    touchGuest,
    requireSession,
    requireHost,
    guestMap,
    orderedQueue,
    activeParticipants,
    marketOf,
  } = ctx;

  return {
    async getState(session: Session): Promise<RoomStateView> {
      // Read before the state: every change counted up to here is in what follows.
      const version = await store.changeVersion(session.roomId);
      const room = await loadRoom(session.roomId);
      const guests = await guestMap(room.id);
      const viewer = session.role === "viewer";
      const me = viewer
        ? { id: session.guestId, name: "Screen", role: "viewer" as const, banned: false }
        : guests.get(session.guestId);
      if (!me) throw new DjRoomError("UNAUTHORIZED", "Unknown guest");
      // Watching the room counts as being present, for vote-to-skip.
      if (room.status === "open" && !me.banned && !viewer) await touchGuest(me as Guest);
      const [queued, myVotes, all] = await Promise.all([
        orderedQueue(room),
        viewer ? Promise.resolve({}) : store.listVotes(room.id, me.id),
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
        version,
        room: roomView(room),
        me: { id: me.id, name: me.name, role: me.role },
        queue: queued.map((e, i) => queueItemView(e, i + 1, guests, myVotes)),
        history,
        guests: [...guests.values()].map((g) => ({ id: g.id, name: g.name, role: g.role, banned: g.banned })),
        skipVotes,
      };
    },

    /** Searches the catalog for tracks to add. */
    async search(session: Session, query: string, limit = 20): Promise<Track[]> {
      const { room } = await requireSession(session);
      const market = await marketOf(room.hostId);
      return provider.search(parse(searchSchema, query, "q"), { limit, ...(market ? { market } : {}) });
    },

    /**
     * Queues a track by provider id (metadata from the provider). A track already queued
     * counts as the adder's up vote instead.
     */
    async addTrack(session: Session, trackIdInput: string): Promise<AddOutcome> {
      const trackId = parse(trackIdSchema, trackIdInput, "trackId");
      const { room, guest: initialGuest } = await requireSession(session);
      if (room.settings.locked && initialGuest.role !== "host") {
        throw new DjRoomError("QUEUE_LOCKED", "The host has locked the queue");
      }
      const market = await marketOf(room.hostId);
      const track = await provider.getTrack(trackId, market ? { market } : {});
      if (!track) throw new DjRoomError("TRACK_NOT_FOUND", `No track ${trackId}`, { details: { trackId } });
      const guests = await guestMap(room.id);
      try {
        const entry = await retryOnConflict(async () => {
          const guest = await store.getGuest(room.id, session.guestId);
          if (!guest) throw new DjRoomError("UNAUTHORIZED", "Unknown guest");
          const queued = await store.listEntries(room.id, ["queued"]);
          const mine = queued.filter((e) => e.addedBy === guest.id).length;
          const existing = queued.find((e) => e.track.id === track.id);
          if (existing) {
            throw new DjRoomError("TRACK_ALREADY_QUEUED", "Already queued", {
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
        if (!isDjRoomError(error, "TRACK_ALREADY_QUEUED")) throw error;
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
      valueInput: VoteInput,
    ): Promise<{ entryId: string; up: number; down: number; score: number; myVote: VoteValue }> {
      const value = parse(voteSchema, valueInput, "value");
      const { room, guest } = await requireSession(session);
      const entry = await store.setVote(room.id, entryId, guest.id, value);
      await touchGuest(guest);
      await touch(room);
      await publish(room.id, "votes.changed", { entryId, guestId: guest.id });
      return { entryId, up: entry.up, down: entry.down, score: entry.up - entry.down, myVote: value };
    },

    /** Removes a queued entry (host). */
    async removeEntry(session: Session, entryId: string): Promise<void> {
      const { room } = await requireHost(session);
      await store.transitionEntry(room.id, entryId, { from: "queued", to: "removed", endedAt: clock.now() });
      await publish(room.id, "queue.changed", { entryId });
    },

    /** Puts a queued entry first (host). */
    async playNext(session: Session, entryId: string): Promise<void> {
      const { room } = await requireHost(session);
      await store.pinEntry(room.id, entryId, await store.nextSequence(room.id));
      await publish(room.id, "queue.changed", { entryId });
    },
  };
}
