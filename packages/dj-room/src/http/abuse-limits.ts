import { DjRoomError } from "../errors.js";
import type { RateLimit, RateLimiter } from "../ports/rate-limiter.js";

/** An action the HTTP handler rate-limits against abuse. */
export type AbuseAction = "joins" | "searches" | "adds" | "votes" | "skipVotes";

/** Per action: a limit per guest (or per browser, for joins) and one per client address. */
export type AbuseLimits = Record<AbuseAction, { perGuest: RateLimit; perAddress: RateLimit }>;

const MINUTE = 60_000;

/**
 * Defaults sized for a party: a guest searching as they type, voting through the queue; an
 * address is a whole venue behind one NAT, so its limits are several guests' worth.
 */
export const defaultAbuseLimits: AbuseLimits = {
  joins: { perGuest: { max: 10, windowMs: 10 * MINUTE }, perAddress: { max: 60, windowMs: 10 * MINUTE } },
  searches: { perGuest: { max: 30, windowMs: MINUTE }, perAddress: { max: 300, windowMs: MINUTE } },
  adds: { perGuest: { max: 20, windowMs: MINUTE }, perAddress: { max: 120, windowMs: MINUTE } },
  votes: { perGuest: { max: 120, windowMs: MINUTE }, perAddress: { max: 1200, windowMs: MINUTE } },
  skipVotes: { perGuest: { max: 10, windowMs: MINUTE }, perAddress: { max: 100, windowMs: MINUTE } },
};

/**
 * Counts an action against the caller's limits, or throws `RATE_LIMITED` (429 with
 * `Retry-After`). `guestId` for session actions, `device` (the browser cookie) for joins.
 */
export function createAbuseGuard(limiter: RateLimiter | undefined, overrides: Partial<AbuseLimits> = {}) {
  const limits = { ...defaultAbuseLimits, ...overrides };
  return async (
    action: AbuseAction,
    caller: { guestId?: string; device?: string | null; address: string | null },
    now = Date.now(),
  ): Promise<void> => {
    if (!limiter) return;
    const { perGuest, perAddress } = limits[action];
    const who = caller.guestId ?? caller.device ?? null;
    const checks: { scope: "guest" | "address"; key: string; limit: RateLimit }[] = [];
    if (who) checks.push({ scope: "guest", key: `${action}:g:${who}`, limit: perGuest });
    if (caller.address)
      checks.push({ scope: "address", key: `${action}:a:${caller.address}`, limit: perAddress });
    const results = await Promise.all(checks.map((c) => limiter.hit(c.key, c.limit, now)));
    const refused = results
      .map((result, i) => ({ ...result, scope: checks[i]!.scope }))
      .filter((r) => !r.allowed)
      .sort((a, b) => b.retryAfterMs - a.retryAfterMs)[0];
    if (!refused) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(refused.retryAfterMs / 1000));
    throw new DjRoomError("RATE_LIMITED", `Too many ${action}: try again in ${retryAfterSeconds}s`, {
      retryAfterSeconds,
      details: { limit: action, scope: refused.scope, retryAfterSeconds },
    });
  };
}
