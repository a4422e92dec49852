import type { z } from "zod";
import type { VoteValue } from "../model.js";
import type { roomSettingsPatchSchema } from "../settings.js";

// What callers pass to the use cases: typed so a wrong shape does not compile. Each use case
// still parses its input at runtime (the HTTP layer and other untyped callers).

/** A change to a room's settings, as `updateSettings` takes it. */
export type RoomSettingsPatchInput = z.input<typeof roomSettingsPatchSchema>;

/** What `openRoom` takes: the room's name, the host's name and settings. */
export interface OpenRoomInput {
  /** 1 to 80 characters. Default "DJ room". */
  name?: string;
  /** The host's display name, 1 to 40 characters. Default "Host". */
  hostName?: string;
  settings?: RoomSettingsPatchInput;
}

/** What `joinRoom` takes: the guest's name. */
export interface JoinRoomInput {
  /** 1 to 40 characters. */
  name: string;
}

/** 1 likes, -1 dislikes, 0 takes the vote back. */
export type VoteInput = VoteValue;
