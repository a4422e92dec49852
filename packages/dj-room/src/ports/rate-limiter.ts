/** A fixed-window limit: at most `max` hits per `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/**
 * Counts hits per key in fixed windows, shared by every instance that shares the limiter.
 * `hit` counts one and says whether it was within the limit and, if not, how long until the
 * window ends.
 */
export interface RateLimiter {
  /** Counts one hit on a key and says whether it is allowed, or how long until it would be. */
  hit(key: string, limit: RateLimit, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}
