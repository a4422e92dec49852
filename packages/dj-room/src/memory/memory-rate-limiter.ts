import type { RateLimiter } from "../ports/rate-limiter.js";

/** Fixed-window counters in one process (tests, the single-process demo). */
export function createMemoryRateLimiter(): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async hit(key, limit, now) {
      const start = now - (now % limit.windowMs);
      const current = windows.get(key);
      const window = current && current.start === start ? current : { start, count: 0 };
      window.count += 1;
      windows.set(key, window);
      if (windows.size > 100_000) {
        for (const [k, w] of windows) if (w.start < start) windows.delete(k);
      }
      return { allowed: window.count <= limit.max, retryAfterMs: start + limit.windowMs - now };
    },
  };
}
