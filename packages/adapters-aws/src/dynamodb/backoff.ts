/** How a helper retries what DynamoDB asked it to retry (unprocessed batch items, transaction conflicts). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** The delay ceiling of the first retry; it doubles each retry up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** [0, 1) source for the jitter; tests pass a seeded one. */
  random?: () => number;
}

/** The retry policy used where none is given. */
export const defaultRetryPolicy: Required<RetryPolicy> = {
  maxAttempts: 8,
  baseDelayMs: 10,
  maxDelayMs: 500,
  random: Math.random,
};

/** Waits a "full jitter" delay before retry number `retry` (1 for the first retry). */
export function backoff(retry: number, policy: RetryPolicy = {}): Promise<void> {
  const { baseDelayMs, maxDelayMs, random } = { ...defaultRetryPolicy, ...policy };
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return new Promise((resolve) => setTimeout(resolve, random() * ceiling));
}
