import { z } from "zod";

export const roomLimitsSchema = z.object({
  /** Tracks one guest may have queued at once. */
  maxQueuedPerGuest: z.number().int().min(1).max(100),
  /** Seconds a guest waits between two adds. */
  cooldownSeconds: z.number().int().min(0).max(3600),
  /** Adds one guest may make per minute. */
  addsPerMinute: z.number().int().min(1).max(600),
});

export const voteSkipSchema = z.object({
  /** Share of active participants whose votes skip the playing track. */
  share: z.number().min(0).max(1),
  /** Never fewer votes than this. */
  minVotes: z.number().int().min(1).max(1000),
});

/** The schema of a room's settings. */
export const roomSettingsSchema = z.object({
  fairShare: z.boolean(),
  locked: z.boolean(),
  /** False: the host closed the room to new guests (those in it stay). */
  joinsOpen: z.boolean(),
  limits: roomLimitsSchema,
  voteSkip: voteSkipSchema,
});

/** A room's limits on what each guest may add. */
export type RoomLimits = z.infer<typeof roomLimitsSchema>;
export type VoteSkipSettings = z.infer<typeof voteSkipSchema>;
/** A room's settings. */
export type RoomSettings = z.infer<typeof roomSettingsSchema>;

/** The settings of a room opened without any. */
export const defaultRoomSettings: RoomSettings = {
  fairShare: false,
  locked: false,
  joinsOpen: true,
  limits: { maxQueuedPerGuest: 5, cooldownSeconds: 0, addsPerMinute: 10 },
  voteSkip: { share: 0.5, minVotes: 2 },
};

/** A partial update of the settings, as a host sends it. */
export const roomSettingsPatchSchema = z
  .object({
    fairShare: z.boolean(),
    locked: z.boolean(),
    joinsOpen: z.boolean(),
    limits: roomLimitsSchema.partial().strict(),
    voteSkip: voteSkipSchema.partial().strict(),
  })
  .partial()
  .strict();

/** A parsed change to a room's settings. */
export type RoomSettingsPatch = z.infer<typeof roomSettingsPatchSchema>;

/** A room's settings with a change applied. */
export function applySettingsPatch(settings: RoomSettings, patch: RoomSettingsPatch): RoomSettings {
  return {
    fairShare: patch.fairShare ?? settings.fairShare,
    locked: patch.locked ?? settings.locked,
    joinsOpen: patch.joinsOpen ?? settings.joinsOpen ?? true,
    limits: { ...settings.limits, ...patch.limits },
    voteSkip: { ...settings.voteSkip, ...patch.voteSkip },
  };
}
