import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { ProfileDepsError } from "../errors.js";
import type { Profile, ProfileValidationState } from "../profiles/profile.js";
import type { ProfileStore } from "../profiles/profile-store.js";
import { nextRevision, profileFixture, uniqueProfileName } from "./fixtures.js";
import { errorCode, testsSkipping } from "./suite-helpers.js";

/** Options of the profile store conformance suite. */
export interface ProfileStoreConformanceOptions {
  /** Builds the store under test (called once per suite). */
  create(): Promise<ProfileStore> | ProfileStore;
  /** Releases what `create` made (tables, clients). */
  destroy?(): Promise<void>;
  /**
   * Reads every stored revision of a profile straight from the backing store, bypassing the
   * adapter, so the suite can check what a failed write left behind.
   */
  backdoor?(name: string): Promise<Profile[]>;
  /** Names of tests to skip, with the reason in a comment where you pass it. */
  skip?: readonly string[];
  /** More tests for this adapter, run in the same `describe` with the same store. */
  additionalTests?(store: () => ProfileStore): void;
}

async function allPages<T>(
  load: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 1000);
  return pages;
}

const validState = (validationId: string): ProfileValidationState => ({
  validationId,
  effectiveRequest: ["python-3.10"],
  status: "valid",
  packages: [{ name: "python", version: "3.10.13", variantIndex: null }],
  ephemerals: [".feature-2"],
  resolvedAt: "2026-01-01T00:00:05.000Z",
});

const stamp = { updatedAt: "2026-01-01T00:01:00.000Z", updatedBy: "deleter" };

/**
 * The behaviour every `ProfileStore` must show. An adapter that passes it can replace the
 * in-memory store: same conflicts, same atomicity, same ordering and pagination.
 */
export function describeProfileStoreConformance(name: string, options: ProfileStoreConformanceOptions): void {
  describe(`ProfileStore conformance: ${name}`, () => {
    let store: ProfileStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      await options.destroy?.();
    });
    const it = testsSkipping(options.skip);

    it("stores revision 1 and reads it back as current and as revision 1", async () => {
      const profile = profileFixture({
        description: "d",
        tags: ["a", "b"],
        requests: ["maya-2024", "!houdini"],
      });
      await store.create(profile);
      expect(await store.get(profile.name)).toEqual(profile);
      expect(await store.getRevision(profile.name, 1)).toEqual(profile);
      expect(await store.getRevision(profile.name, 2)).toBeUndefined();
      expect(await store.get(uniqueProfileName("absent"))).toBeUndefined();
    });

    it("refuses to create a name that exists, keeping the first", async () => {
      const profile = profileFixture();
      await store.create(profile);
      expect(await errorCode(store.create({ ...profile, description: "second" }))).toBe("PROFILE_EXISTS");
      expect(await store.get(profile.name)).toEqual(profile);
    });

    it("adds a revision on update and keeps the previous one readable", async () => {
      const first = profileFixture();
      await store.create(first);
      const second = nextRevision(first, { requests: ["python-3.11"], updatedBy: "bob" });
      await store.update(second, 1);
      expect(await store.get(first.name)).toEqual(second);
      expect(await store.getRevision(first.name, 1)).toEqual(first);
      expect(await store.getRevision(first.name, 2)).toEqual(second);
    });

    it("refuses an update against a revision that is not current, writing nothing", async () => {
      const first = profileFixture();
      await store.create(first);
      const second = nextRevision(first);
      await store.update(second, 1);
      const stale = nextRevision(first, { description: "lost update" });
      expect(await errorCode(store.update(stale, 1))).toBe("PROFILE_REVISION_CONFLICT");
      expect(await store.get(first.name)).toEqual(second);
      expect(await store.getRevision(first.name, 3)).toBeUndefined();
      if (options.backdoor) {
        expect((await options.backdoor(first.name)).map((p) => p.revision).sort()).toEqual([1, 2]);
      }
    });

    it("lets exactly one of several concurrent updates of the same revision win", async () => {
      const first = profileFixture();
      await store.create(first);
      const attempts = Array.from({ length: 8 }, (_, i) =>
        nextRevision(first, { description: `writer ${i}` }),
      );
      const results = await Promise.allSettled(attempts.map((p) => store.update(p, 1)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const winner = attempts[results.findIndex((r) => r.status === "fulfilled")]!;
      expect(await store.get(first.name)).toEqual(winner);
      expect(await store.getRevision(first.name, 2)).toEqual(winner);
    });

    it("reports a missing profile on update", async () => {
      const ghost = nextRevision(profileFixture());
      expect(await errorCode(store.update(ghost, 1))).toBe("PROFILE_NOT_FOUND");
      expect(await store.get(ghost.name)).toBeUndefined();
    });

    it("lists revisions oldest first, page by page", async () => {
      let profile = profileFixture();
      await store.create(profile);
      for (let revision = 2; revision <= 7; revision++) {
        const next = nextRevision(profile);
        await store.update(next, profile.revision);
        profile = next;
      }
      const pages = await allPages((cursor) =>
        store.listRevisions(profile.name, { limit: 3, ...(cursor ? { cursor } : {}) }),
      );
      expect(pages.map((p) => p.map((r) => r.revision))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      expect((await store.listRevisions(uniqueProfileName("absent"))).items).toEqual([]);
    });

    it("lists current revisions in name order, paginated, filtered by tag, status and parent", async () => {
      const tag = `t-${randomUUID().slice(0, 8)}`;
      const parent = profileFixture({ name: uniqueProfileName("parent") });
      await store.create(parent);
      const names = Array.from({ length: 7 }, (_, i) => `list-${tag}-${String.fromCharCode(103 - i)}`);
      for (const [i, n] of names.entries()) {
        const profile = profileFixture({
          name: n,
          tags: i % 2 === 0 ? [tag, "even"] : [tag],
          parent: i < 3 ? parent.name : null,
        });
        await store.create(profile);
        if (i === 0) await store.update(nextRevision(profile, { tags: [tag, "even"] }), 1);
        if (i === 1) await store.setValidation(n, 1, profile.validationId, validState(profile.validationId));
      }
      const sorted = [...names].sort();
      const byTag = await allPages((cursor) => store.list({ tag, limit: 3, ...(cursor ? { cursor } : {}) }));
      expect(byTag.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(byTag.flat().map((p) => p.name)).toEqual(sorted);
      expect(byTag.flat().find((p) => p.name === names[0])?.revision).toBe(2);

      const valid = await store.list({ tag, status: "valid" });
      expect(valid.items.map((p) => p.name)).toEqual([names[1]]);
      expect(valid.nextCursor).toBeUndefined();

      const children = await allPages((cursor) =>
        store.list({ parent: parent.name, limit: 2, ...(cursor ? { cursor } : {}) }),
      );
      expect(children.flat().map((p) => p.name)).toEqual(names.slice(0, 3).sort());

      const even = await store.list({ tag: "even" });
      expect(even.items.map((p) => p.name).filter((n) => n.includes(tag))).toEqual(
        names.filter((_, i) => i % 2 === 0).sort(),
      );

      const everything = (
        await allPages((cursor) => store.list({ limit: 5, ...(cursor ? { cursor } : {}) }))
      ).flat();
      const listed = everything.map((p) => p.name);
      expect(listed).toEqual([...listed].sort());
      expect(new Set(listed).size).toBe(listed.length);
      for (const n of names) expect(listed).toContain(n);
    });

    it("refuses a profile whose parent does not exist, writing nothing", async () => {
      const orphan = profileFixture({ parent: uniqueProfileName("missing") });
      expect(await errorCode(store.create(orphan))).toBe("PARENT_PROFILE_NOT_FOUND");
      expect(await store.get(orphan.name)).toBeUndefined();
      const child = profileFixture();
      await store.create(child);
      const reparented = nextRevision(child, { parent: uniqueProfileName("missing") });
      expect(await errorCode(store.update(reparented, 1))).toBe("PARENT_PROFILE_NOT_FOUND");
      expect(await store.get(child.name)).toEqual(child);
      expect(await store.getRevision(child.name, 2)).toBeUndefined();
    });

    it("lists a profile under its current parent only", async () => {
      const first = profileFixture({ name: uniqueProfileName("parent-a") });
      const second = profileFixture({ name: uniqueProfileName("parent-b") });
      await store.create(first);
      await store.create(second);
      const child = profileFixture({ parent: first.name });
      await store.create(child);
      const children = async (parent: string) => (await store.list({ parent })).items.map((p) => p.name);
      expect(await children(first.name)).toEqual([child.name]);
      const moved = nextRevision(child, { parent: second.name });
      await store.update(moved, 1);
      expect(await children(first.name)).toEqual([]);
      expect(await children(second.name)).toEqual([child.name]);
      await store.update(nextRevision(moved, { parent: null }), 2);
      expect(await children(second.name)).toEqual([]);
      expect((await store.get(child.name))?.parent).toBeNull();
    });

    it("applies a validation only while its validation id is current, on revision and listing alike", async () => {
      const profile = profileFixture({ tags: ["v"] });
      await store.create(profile);
      expect(await store.setValidation(profile.name, 1, "another-id", validState("x"))).toBe(false);
      expect(await store.get(profile.name)).toEqual(profile);

      expect(
        await store.setValidation(profile.name, 1, profile.validationId, validState(profile.validationId)),
      ).toBe(true);
      const valid = await store.get(profile.name);
      expect(valid).toEqual({ ...profile, ...validState(profile.validationId) });
      expect(await store.getRevision(profile.name, 1)).toEqual(valid);

      const requeued: ProfileValidationState = {
        validationId: randomUUID(),
        effectiveRequest: ["python-3.11"],
        status: "pending",
      };
      expect(await store.setValidation(profile.name, 1, profile.validationId, requeued)).toBe(true);
      const pending = await store.get(profile.name);
      expect(pending).toEqual({ ...profile, ...requeued });
      expect(pending).not.toHaveProperty("packages");
      expect(pending).not.toHaveProperty("resolvedAt");
      expect(
        await store.setValidation(profile.name, 1, profile.validationId, validState(profile.validationId)),
      ).toBe(false);
      expect(await store.setValidation(uniqueProfileName("absent"), 1, "x", validState("x"))).toBe(false);
    });

    it("records a result on a superseded revision without touching the current one", async () => {
      const first = profileFixture();
      await store.create(first);
      const second = nextRevision(first);
      await store.update(second, 1);
      const failed: ProfileValidationState = {
        validationId: first.validationId,
        effectiveRequest: first.effectiveRequest,
        status: "error",
        error: { code: "PACKAGE_NOT_FOUND", message: "Package could not be found: x" },
        resolvedAt: "2026-01-01T00:00:09.000Z",
      };
      expect(await store.setValidation(first.name, 1, first.validationId, failed)).toBe(true);
      expect(await store.getRevision(first.name, 1)).toEqual({ ...first, ...failed });
      expect(await store.get(first.name)).toEqual(second);
      expect((await store.list({ parent: "__none__" })).items).toEqual([]);
    });

    it("deletes with a tombstone: the profile is gone, every revision stays readable", async () => {
      const first = profileFixture({ tags: ["deleted"] });
      await store.create(first);
      const second = nextRevision(first);
      await store.update(second, 1);
      expect(await errorCode(store.delete(first.name, 1, stamp))).toBe("PROFILE_REVISION_CONFLICT");
      expect((await store.get(first.name))?.revision).toBe(2);
      await store.delete(first.name, 2, stamp);
      expect(await store.get(first.name)).toBeUndefined();
      expect(await store.getRevision(first.name, 1)).toEqual(first);
      expect(await store.getRevision(first.name, 2)).toEqual(second);
      const tombstone: Profile = { ...second, ...stamp, revision: 3, deleted: true };
      expect(await store.getRevision(first.name, 3)).toEqual(tombstone);
      expect((await store.listRevisions(first.name)).items).toEqual([first, second, tombstone]);
      expect((await store.list({ tag: "deleted" })).items.map((p) => p.name)).not.toContain(first.name);
      expect(await errorCode(store.delete(first.name, undefined, stamp))).toBe("PROFILE_NOT_FOUND");
      const { deleted: _deleted, ...afterTombstone } = nextRevision(tombstone);
      expect(await errorCode(store.update(afterTombstone, 3))).toBe("PROFILE_NOT_FOUND");
      if (options.backdoor) {
        expect((await options.backdoor(first.name)).map((p) => p.revision)).toEqual([1, 2, 3]);
      }
    });

    it("continues the numbering when a deleted name is created again, and the new profile can be updated", async () => {
      const first = profileFixture();
      await store.create(first);
      await store.delete(first.name, 1, stamp);
      const again = profileFixture({ name: first.name, description: "again" });
      const stored = await store.create(again);
      expect(stored).toEqual({ ...again, revision: 3 });
      expect(await store.get(first.name)).toEqual(stored);
      const next = nextRevision(stored);
      await store.update(next, 3);
      expect(await store.get(first.name)).toEqual(next);
      expect(
        (await store.listRevisions(first.name)).items.map((p) => [p.revision, p.deleted ?? false]),
      ).toEqual([
        [1, false],
        [2, true],
        [3, false],
        [4, false],
      ]);
      expect(await errorCode(store.create(profileFixture({ name: first.name })))).toBe("PROFILE_EXISTS");
    });

    it("lets exactly one of several concurrent creates of a deleted name win", async () => {
      const first = profileFixture();
      await store.create(first);
      await store.delete(first.name, 1, stamp);
      const attempts = Array.from({ length: 6 }, (_, i) =>
        profileFixture({ name: first.name, description: `${i}` }),
      );
      const results = await Promise.allSettled(attempts.map((p) => store.create(p)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected") expect((r.reason as ProfileDepsError).code).toBe("PROFILE_EXISTS");
      expect((await store.get(first.name))?.revision).toBe(3);
    });

    it("refuses to delete a profile that has children", async () => {
      const parent = profileFixture({ name: uniqueProfileName("parent") });
      await store.create(parent);
      const child = profileFixture({ parent: parent.name });
      await store.create(child);
      expect(await errorCode(store.delete(parent.name, undefined, stamp))).toBe("PROFILE_HAS_CHILDREN");
      expect(await store.get(parent.name)).toEqual(parent);
      await store.update(nextRevision(child, { parent: null }), 1);
      await store.delete(parent.name, 1, stamp);
      expect(await store.get(parent.name)).toBeUndefined();
    });

    it("never lets a parent delete and a child create both succeed", async () => {
      for (let round = 0; round < 5; round++) {
        const parent = profileFixture({ name: uniqueProfileName("parent") });
        await store.create(parent);
        const child = profileFixture({ parent: parent.name });
        const [deleted, created] = await Promise.allSettled([
          store.delete(parent.name, undefined, stamp),
          store.create(child),
        ]);
        expect(deleted.status === "fulfilled" && created.status === "fulfilled").toBe(false);
        if (created.status === "fulfilled") expect(await store.get(parent.name)).toBeDefined();
        else expect((created.reason as ProfileDepsError).code).toBe("PARENT_PROFILE_NOT_FOUND");
        if (deleted.status === "rejected")
          expect((deleted.reason as ProfileDepsError).code).toBe("PROFILE_HAS_CHILDREN");
      }
    });

    it("hands out copies: changing a returned profile changes nothing stored", async () => {
      const profile = profileFixture({ tags: ["x"] });
      await store.create(profile);
      profile.tags.push("mutated-input");
      const read = await store.get(profile.name);
      expect(read?.tags).toEqual(["x"]);
      read!.requests.push("mutated-output");
      expect((await store.get(profile.name))?.requests).toEqual(["python-3.10"]);
    });

    options.additionalTests?.(() => store);
  });
}
