import { randomUUID } from "node:crypto";
import { DjRoomError, isDjRoomError } from "../errors.js";
import type { Room } from "../model.js";
import type { Session } from "../session-tokens.js";
import {
  applySettingsPatch,
  defaultRoomSettings,
  type RoomSettingsPatch,
  roomSettingsPatchSchema,
} from "../settings.js";
import { type RoomView, roomView } from "../views.js";
import type { RoomContext } from "./context.js";
import type { JoinRoomInput, OpenRoomInput, RoomSettingsPatchInput } from "./inputs.js";
import { guestNameSchema, parse, retryOnConflict, roomNameSchema } from "./support.js";
import type { SessionGrant } from "./types.js";

/** Opening, joining, closing and reopening rooms; sessions; bans and settings. */
export function roomUseCases(ctx: RoomContext) {
  const {
    store,
    tokens,
    clock,
    maxOpenRoomsPerHost,
    publish,
    loadRoom,
    openRoomOf,
    touch,
    grant,
    newGuest,
    withFreshCode,
    withinHostLimit,
    requireHost,
    hostSession,
    findRoom,
  } = ctx;

  return {
    /** Opens a room for an authenticated host; the server picks the code. */
    async openRoom(hostId: string, input: OpenRoomInput = {}): Promise<SessionGrant> {
      const name = input.name === undefined ? "DJ room" : parse(roomNameSchema, input.name, "name");
      const hostName =
        input.hostName === undefined ? "Host" : parse(guestNameSchema, input.hostName, "hostName");
      const patch =
        input.settings === undefined ? {} : parse(roomSettingsPatchSchema, input.settings, "settings");
      const now = clock.now();
      const { room, host } = await withinHostLimit(hostId, () =>
        withFreshCode(async (code) => {
          const room: Room = {
            id: randomUUID(),
            code,
            hostId,
            name,
            status: "open",
            settings: applySettingsPatch(defaultRoomSettings, patch),
            playback: { phase: "idle", since: now },
            player: { status: "unknown", progressMs: null, durationMs: null, at: now },
            nextCheckAt: null,
            createdAt: now,
            lastActiveAt: now,
            closedAt: null,
            version: 0,
          };
          const host = newGuest(room.id, hostName, "host");
          await store.createRoom(room, { maxOpenRoomsPerHost }, host);
          return { room, host };
        }),
      );
      return grant(room, host);
    },

    /** A fresh host session for one of the host's rooms (after a reload, or to reopen it). */
    hostSession,

    /** A host's rooms. */
    async listHostRooms(hostId: string): Promise<RoomView[]> {
      return (await store.listRoomsByHost(hostId)).map(roomView);
    },

    /** Looks a room up by its code (any case); closed, idle and unknown codes are not found. */
    findRoom,

    /** The room a session belongs to, open or closed. */
    async roomOf(session: Session): Promise<RoomView> {
      return roomView(await loadRoom(session.roomId));
    },

    /** How many changes the room has seen: what a live subscriber resynchronises from. */
    async roomVersion(roomId: string): Promise<number> {
      return store.changeVersion(roomId);
    },

    /**
     * Joins an open room as a new guest. `deviceId` names the browser (the HTTP layer keeps it in
     * a cookie): a browser a guest was banned from stays banned under any name.
     */
    async joinRoom(
      codeInput: string,
      input: JoinRoomInput,
      client: { deviceId?: string | null } = {},
    ): Promise<SessionGrant> {
      const name = parse(guestNameSchema, input.name, "name");
      const { id } = await findRoom(codeInput);
      const room = await openRoomOf(id);
      if (room.settings.joinsOpen === false) {
        throw new DjRoomError("ROOM_NOT_JOINABLE", "The host closed this room to new guests");
      }
      const deviceId = client.deviceId ?? null;
      if (deviceId && (await store.listGuests(room.id)).some((g) => g.banned && g.deviceId === deviceId)) {
        throw new DjRoomError("GUEST_BANNED", "You were removed from this room");
      }
      const guest = newGuest(room.id, name, "guest", deviceId);
      await store.createGuest(guest);
      await touch(room);
      await publish(room.id, "guest.joined", { guestId: guest.id });
      return grant(room, guest);
    },

    /**
     * A read-only session for a screen at the venue (the TV view): it reads the state and follows
     * events, counts as no guest and can do nothing else.
     */
    async openViewerSession(
      codeInput: string,
    ): Promise<{ token: string; expiresAt: number; room: RoomView }> {
      const room = await findRoom(codeInput);
      const { token, expiresAt } = await tokens.issue({
        roomId: room.id,
        guestId: `viewer-${randomUUID()}`,
        role: "viewer",
      });
      return { token, expiresAt, room };
    },

    /** Verifies a session token and that its guest may still act in its room. */
    async authenticate(token: string): Promise<Session> {
      const session = await tokens.verify(token);
      if (session.role === "viewer") {
        await loadRoom(session.roomId);
        return session;
      }
      const guest = await store.getGuest(session.roomId, session.guestId);
      if (!guest) throw new DjRoomError("UNAUTHORIZED", "Unknown guest");
      if (guest.banned) throw new DjRoomError("GUEST_BANNED", "You were removed from this room");
      return session;
    },

    /** Bans a guest from the room (host): their session stops working. */
    async banGuest(session: Session, guestId: string): Promise<void> {
      const { room } = await requireHost(session);
      await retryOnConflict(async () => {
        const guest = await store.getGuest(room.id, guestId);
        if (!guest) throw new DjRoomError("GUEST_NOT_FOUND", `No guest ${guestId}`);
        if (guest.role === "host") throw new DjRoomError("FORBIDDEN", "The host cannot be banned");
        if (!guest.banned) await store.updateGuest({ ...guest, banned: true }, guest.version);
      });
      for (const entry of await store.listEntries(room.id, ["queued"])) {
        if (entry.addedBy !== guestId) continue;
        await store
          .transitionEntry(room.id, entry.id, { from: "queued", to: "removed", endedAt: clock.now() })
          .catch((error) => {
            if (!isDjRoomError(error, "ENTRY_NOT_QUEUED")) throw error;
          });
      }
      await publish(room.id, "queue.changed", { guestId, banned: true });
    },

    /** Changes the room's settings (host). */
    async updateSettings(session: Session, patchInput: RoomSettingsPatchInput): Promise<RoomView> {
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

    /** Closes the room (host); it can be reopened. */
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
      if (room.hostId !== hostId) throw new DjRoomError("FORBIDDEN", "Not your room");
      if (room.status === "open") throw new DjRoomError("CONFLICT", "The room is open");
      const reopened = await withinHostLimit(hostId, () =>
        withFreshCode(async (code) => {
          const current = await loadRoom(roomId);
          return store.reopenRoom(roomId, code, current.version, { maxOpenRoomsPerHost }, clock.now());
        }, room.code),
      );
      await publish(roomId, "room.reopened", {});
      return hostSession(hostId, reopened.id);
    },
  };
}
