import type { ServerOptions } from "node:http";

/** The `node:http` server timeouts that keep slow clients from holding connections. */
export interface ServerTimeouts {
  /** Time to receive the request headers (slowloris). */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included: a slow-body client is dropped after it. */
  requestTimeoutMs: number;
  /** Idle time a keep-alive connection is held between requests. */
  keepAliveTimeoutMs: number;
}

/** The server timeouts used unless others are given. */
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/**
 * `http.createServer` options enforcing the timeouts. Node checks them every
 * `connectionsCheckingInterval`, set here to a quarter of the shortest, so a slow client is
 * dropped within the timeout plus that interval.
 */
export function serverTimeoutOptions(timeouts: Partial<ServerTimeouts> = {}): ServerOptions {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...timeouts };
  const headers = Math.min(t.headersTimeoutMs, t.requestTimeoutMs);
  return {
    headersTimeout: headers,
    requestTimeout: t.requestTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(250, Math.floor(Math.min(headers, t.requestTimeoutMs) / 4)),
  };
}
