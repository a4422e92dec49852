import { DjRoomError } from "../errors.js";

/** A host's encrypted tokens and the version that changes on every write. */
export interface StoredHostTokens {
  ciphertext: string;
  version: number;
  /** Spotify asked every request of this host's token to wait until then (epoch ms, a 429). */
  blockedUntil?: number;
}

/**
 * Where a host's encrypted Spotify tokens live (the ciphertext only). Writes are conditional on
 * the version read, so instances refreshing the same host at once cannot overwrite each other.
 */
export interface HostTokenStore {
  /** A host's encrypted tokens and their version, or null. */
  get(hostId: string): Promise<StoredHostTokens | null>;
  /**
   * Stores new tokens and returns their version. With `expectedVersion` (null: none stored) a
   * store holding another version refuses with `CONFLICT` and writes nothing.
   */
  put(hostId: string, ciphertext: string, expectedVersion?: number | null): Promise<number>;
  /** Deletes the tokens; with `version`, only if that version is still the one stored. */
  delete(hostId: string, version?: number): Promise<void>;
  /** Records a 429 backoff for the host's token, shared by every instance (later times win). */
  holdUntil(hostId: string, until: number): Promise<void>;
}

/** An in-memory `HostTokenStore`, for the demo and tests (`raw()` shows what it holds). */
export function createMemoryHostTokenStore(): HostTokenStore & {
  /** What the store holds, by host: ciphertext only. */
  raw(): Map<string, StoredHostTokens>;
} {
  const items = new Map<string, StoredHostTokens>();
  return {
    async get(hostId) {
      const item = items.get(hostId);
      return item ? { ...item } : null;
    },
    async put(hostId, ciphertext, expectedVersion) {
      const current = items.get(hostId);
      if (expectedVersion !== undefined && (current?.version ?? null) !== expectedVersion) {
        throw new DjRoomError("CONFLICT", "The host's tokens changed since they were read");
      }
      const version = (current?.version ?? 0) + 1;
      items.set(hostId, { ciphertext, version });
      return version;
    },
    async delete(hostId, version) {
      if (version === undefined || items.get(hostId)?.version === version) items.delete(hostId);
    },
    async holdUntil(hostId, until) {
      const item = items.get(hostId);
      if (item && (item.blockedUntil ?? 0) < until) item.blockedUntil = until;
    },
    raw: () => items,
  };
}
