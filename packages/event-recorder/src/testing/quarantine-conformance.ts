import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuarantineEntry, QuarantineStore } from "../ports.js";

/** Options of the quarantine store conformance suite. */
export interface QuarantineStoreConformanceOptions {
  /** Builds the store under test over empty storage (called once per suite). */
  create(): Promise<QuarantineStore> | QuarantineStore;
  /** Releases what `create` made. */
  destroy?(): Promise<void>;
  /** Reads the stored entries straight from the backing store: one per distinct body, with its attempts. */
  backdoor?(): Promise<{ messageId: string; attempts: number }[]>;
  /** Skips the whole suite (say, an adapter whose engine this run lacks): prefer failing to skipping. */
  skip?: boolean;
  /** More tests against the same store, inside the suite's `describe`. */
  additionalTests?(store: () => QuarantineStore): void;
}

const entry = (overrides: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  messageId: randomUUID(),
  body: `body-${randomUUID()}`,
  attributes: { ApproximateReceiveCount: "1" },
  reason: "UNDECRYPTABLE",
  detail: "no key decrypts it",
  ...overrides,
});

/**
 * The behaviour every `QuarantineStore` shows: entries keyed by content (a re-sent body counts
 * an attempt, never a second entry), any text kept as it arrived, oldest first with paging,
 * replayed entries hidden unless asked for, failed replays counted.
 */
export function describeQuarantineStoreConformance(
  name: string,
  options: QuarantineStoreConformanceOptions,
): void {
  (options.skip ? describe.skip : describe)(`QuarantineStore conformance: ${name}`, () => {
    let store: QuarantineStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      await options.destroy?.();
    });
    const find = async (messageId: string) =>
      (await store.list({ limit: 1000, includeReplayed: true })).items.find((q) => q.messageId === messageId);

    it("keeps one entry per body: the same body re-sent counts an attempt", async () => {
      const first = entry();
      await store.put([first, { ...first, messageId: randomUUID() }]);
      await store.put([{ ...first, messageId: randomUUID(), reason: "NOT_JSON" }]);
      const stored = await find(first.messageId);
      expect(stored).toMatchObject({ ...first, attempts: 3, replayedAt: null });
      expect(await store.get(stored!.id)).toEqual(stored);
      if (options.backdoor) {
        const raw = await options.backdoor();
        expect(raw.filter((r) => r.messageId === first.messageId)).toEqual([
          { messageId: first.messageId, attempts: 3 },
        ]);
      }
    });

    it("keeps text the database cannot hold as it is (NUL, lone surrogates) and returns it unchanged", async () => {
      const odd = entry({
        body: `a\u0000b ${randomUUID()}`,
        attributes: { note: "x\u0000y" },
        detail: "bad \ud800 detail",
      });
      await store.put([odd]);
      const stored = await find(odd.messageId);
      expect(stored?.body).toBe(odd.body);
      expect(stored?.reason).toBe(odd.reason);
    });

    it("lists pending entries oldest first in pages, and hides replayed ones unless asked", async () => {
      const batch = Array.from({ length: 5 }, () => entry());
      await store.put(batch);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((q) => q.messageId));
        cursor = page.next;
      } while (cursor);
      const ids = batch.map((b) => b.messageId);
      expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
      const first = (await find(ids[0]!))!;
      await store.markReplayed([first.id], new Date("2026-01-01T00:00:00Z"));
      expect((await store.list({ limit: 1000 })).items.some((q) => q.id === first.id)).toBe(false);
      expect((await find(ids[0]!))?.replayedAt?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    });

    it("counts a failed replay with its new reason, and refuses an unknown id", async () => {
      const failing = entry();
      await store.put([failing]);
      const stored = (await find(failing.messageId))!;
      await store.markFailed(stored.id, "INVALID_EVENT", "still invalid");
      expect(await store.get(stored.id)).toMatchObject({
        reason: "INVALID_EVENT",
        detail: "still invalid",
        attempts: 2,
      });
      await expect(store.markFailed("999999999", "INVALID_EVENT", "x")).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      expect(await store.get("999999999")).toBeNull();
    });

    options.additionalTests?.(() => store);
  });
}
