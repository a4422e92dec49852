/** Where a host's encrypted Spotify tokens live (the ciphertext only). */
export interface HostTokenStore {
  get(hostId: string): Promise<string | null>;
  put(hostId: string, ciphertext: string): Promise<void>;
  delete(hostId: string): Promise<void>;
}

export function createMemoryHostTokenStore(): HostTokenStore & { raw(): Map<string, string> } {
  const items = new Map<string, string>();
  return {
    async get(hostId) {
      return items.get(hostId) ?? null;
    },
    async put(hostId, ciphertext) {
      items.set(hostId, ciphertext);
    },
    async delete(hostId) {
      items.delete(hostId);
    },
    raw: () => items,
  };
}
