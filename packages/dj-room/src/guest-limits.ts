import { DjRoomError } from "./errors.js";
import type { Guest } from "./model.js";
import type { RoomLimits } from "./settings.js";

const MINUTE = 60_000;

/**
 * Checks one more add against the guest's limits and returns the guest's updated counters,
 * or throws `limit_exceeded` with the seconds until a retry can succeed.
 */
export function admitAdd(guest: Guest, queuedByGuest: number, limits: RoomLimits, now: number): Guest {
  const exceeded = (limit: string, retryAtMs: number | null, message: string): never => {
    const retryAfterSeconds =
      retryAtMs === null ? undefined : Math.max(1, Math.ceil((retryAtMs - now) / 1000));
    throw new DjRoomError("LIMIT_EXCEEDED", message, {
      retryAfterSeconds,
      details: {
        limit,
        ...(retryAfterSeconds === undefined
          ? { retryWhen: "one of your queued tracks plays or is removed" }
          : { retryAfterSeconds }),
      },
    });
  };
  if (queuedByGuest >= limits.maxQueuedPerGuest) {
    exceeded(
      "maxQueuedPerGuest",
      null,
      `At most ${limits.maxQueuedPerGuest} tracks queued at once per guest: add again once one of yours plays`,
    );
  }
  if (guest.lastAddAt !== null && now < guest.lastAddAt + limits.cooldownSeconds * 1000) {
    exceeded(
      "cooldown",
      guest.lastAddAt + limits.cooldownSeconds * 1000,
      `Wait ${limits.cooldownSeconds}s between adds`,
    );
  }
  const inWindow = guest.addWindowCount > 0 && now < guest.addWindowStart + MINUTE;
  const count = inWindow ? guest.addWindowCount : 0;
  if (count >= limits.addsPerMinute) {
    exceeded(
      "addsPerMinute",
      guest.addWindowStart + MINUTE,
      `At most ${limits.addsPerMinute} adds per minute`,
    );
  }
  return {
    ...guest,
    lastAddAt: now,
    addWindowStart: inWindow ? guest.addWindowStart : now,
    addWindowCount: count + 1,
    lastSeenAt: now,
  };
}
