import {
  createMemoryProfileStore,
  createProfileService,
  type EventPublisher,
  ProfileDepsError,
  type ProfileEvent,
  type ProfileService,
  type ProfileStore,
} from "@portside/profile-deps";
import { nextRevision } from "@portside/profile-deps/testing";
import { beforeEach, describe, expect, it } from "vitest";

const actor = { actor: "alice" };
let published: ProfileEvent[];
let service: ProfileService;
let now: Date;

beforeEach(() => {
  published = [];
  const publisher: EventPublisher = {
    publish: async (event) => {
      published.push(structuredClone(event));
    },
  };
  now = new Date("2026-03-01T10:00:00.000Z");
  let id = 0;
  service = createProfileService({
    store: createMemoryProfileStore(),
    publisher,
    clock: { now: () => now },
    newId: () => `v${++id}`,
  });
});

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProfileDepsError) return error.code;
    throw error;
  }
  return undefined;
}

describe("ProfileService", () => {
  it("creates revision 1 with times, actor, normalised tags, and announces ProfileChanged", async () => {
    const profile = await service.create(
      { name: "lighting", description: "Lighting", requests: ["maya-2024"], tags: ["show", "core", "show"] },
      actor,
    );
    expect(profile).toEqual({
      name: "lighting",
      revision: 1,
      description: "Lighting",
      requests: ["maya-2024"],
      parent: null,
      tags: ["core", "show"],
      createdAt: "2026-03-01T10:00:00.000Z",
      createdBy: "alice",
      updatedAt: "2026-03-01T10:00:00.000Z",
      updatedBy: "alice",
      effectiveRequest: ["maya-2024"],
      validationId: "v1",
      status: "pending",
    });
    expect(published).toEqual([
      {
        type: "ProfileChanged",
        detail: {
          name: "lighting",
          revision: 1,
          effectiveRequest: ["maya-2024"],
          validationId: "v1",
          change: "created",
        },
      },
    ]);
  });

  it("names each unparsable request and stores nothing", async () => {
    const error = await service
      .create({ name: "bad", requests: ["maya-2024", "foo-1+<", "!"] }, actor)
      .catch((e: unknown) => e);
    expect((error as { issues: unknown }).issues).toEqual([
      { path: "requests.1", message: expect.stringContaining("'foo-1+<'") },
      { path: "requests.2", message: expect.stringContaining("'!'") },
    ]);
    expect(await code(service.get("bad"))).toBe("PROFILE_NOT_FOUND");
    expect(published).toEqual([]);
  });

  it("refuses unknown fields and a duplicate name", async () => {
    expect(await code(service.create({ name: "x", requests: [], colour: "red" } as never, actor))).toBe(
      "INVALID_PROFILE",
    );
    await service.create({ name: "x", requests: [] }, actor);
    expect(await code(service.create({ name: "x", requests: ["a"] }, actor))).toBe("PROFILE_EXISTS");
  });

  it("updates against the expected revision only, keeping creation fields", async () => {
    await service.create({ name: "comp", requests: ["nuke-14"] }, actor);
    now = new Date("2026-03-02T10:00:00.000Z");
    const second = await service.update(
      "comp",
      { expectedRevision: 1, requests: ["nuke-15"] },
      { actor: "bob" },
    );
    expect(second).toMatchObject({
      revision: 2,
      createdAt: "2026-03-01T10:00:00.000Z",
      createdBy: "alice",
      updatedAt: "2026-03-02T10:00:00.000Z",
      updatedBy: "bob",
      status: "pending",
    });
    const conflict = await service
      .update("comp", { expectedRevision: 1, requests: ["nuke"] }, actor)
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({
      code: "PROFILE_REVISION_CONFLICT",
      expectedRevision: 1,
      currentRevision: 2,
    });
    expect((await service.get("comp")).requests).toEqual(["nuke-15"]);
    expect(await code(service.update("ghost", { expectedRevision: 1, requests: [] }, actor))).toBe(
      "PROFILE_NOT_FOUND",
    );
  });

  it("keeps every revision readable, diffs two of them and pages history", async () => {
    await service.create({ name: "fx", requests: ["houdini-19", "numpy", "!maya"], tags: ["a"] }, actor);
    await service.update(
      "fx",
      { expectedRevision: 1, requests: ["houdini-20", "usd", "!maya"], tags: ["a", "b"], description: "new" },
      actor,
    );
    expect((await service.getRevision("fx", 1)).requests).toEqual(["houdini-19", "numpy", "!maya"]);
    expect(await code(service.getRevision("fx", 3))).toBe("PROFILE_REVISION_NOT_FOUND");
    expect(await code(service.getRevision("nope", 1))).toBe("PROFILE_NOT_FOUND");
    expect(await service.diff("fx", 1, 2)).toEqual({
      name: "fx",
      from: 1,
      to: 2,
      requests: {
        added: ["usd"],
        removed: ["numpy"],
        changed: [{ package: "houdini", kind: "require", from: "houdini-19", to: "houdini-20" }],
      },
      fields: [
        { field: "description", from: "", to: "new" },
        { field: "tags", from: ["a"], to: ["a", "b"] },
      ],
    });
    expect((await service.diff("fx", 2, 1)).requests.added).toEqual(["numpy"]);
    const first = await service.history("fx", { limit: 1 });
    expect(first.items.map((p) => p.revision)).toEqual([1]);
    const second = await service.history("fx", { limit: 1, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ revision: 2 })] });
    expect(await code(service.history("nope"))).toBe("PROFILE_NOT_FOUND");
  });

  it("merges a child's requests into its parent's by Rez's rules", async () => {
    await service.create({ name: "base", requests: ["foo-4+", "bar-2+", "python"] }, actor);
    const child = await service.create(
      { name: "child", parent: "base", requests: ["foo-4.5", "!bar-4+", "baz"] },
      actor,
    );
    expect(child.effectiveRequest).toEqual(["foo-4.5", "bar-2+<4", "python", "baz"]);
    expect(await service.effectiveRequest("child")).toEqual(["foo-4.5", "bar-2+<4", "python", "baz"]);
    const grandchild = await service.create(
      { name: "grandchild", parent: "child", requests: ["python-3"] },
      actor,
    );
    expect(grandchild.effectiveRequest).toEqual(["foo-4.5", "bar-2+<4", "python-3", "baz"]);
  });

  it("refuses a child request that clashes with its inheritance, naming both", async () => {
    await service.create({ name: "base", requests: ["foo-1"] }, actor);
    const error = await service
      .create({ name: "child", parent: "base", requests: ["foo-2"] }, actor)
      .catch((e) => e);
    expect(error).toMatchObject({
      code: "PROFILE_INHERITANCE_CONFLICT",
      profile: "child",
      parent: "base",
      inherited: "foo-1",
      own: "foo-2",
    });
    expect(error.message).toContain("foo-1");
    expect(error.message).toContain("foo-2");
    expect(await code(service.get("child"))).toBe("PROFILE_NOT_FOUND");
  });

  it("refuses a missing parent and an inheritance cycle", async () => {
    expect(await code(service.create({ name: "orphan", parent: "nobody", requests: [] }, actor))).toBe(
      "PARENT_PROFILE_NOT_FOUND",
    );
    await service.create({ name: "a", requests: [] }, actor);
    await service.create({ name: "b", parent: "a", requests: [] }, actor);
    expect(await code(service.update("a", { expectedRevision: 1, parent: "b", requests: [] }, actor))).toBe(
      "PROFILE_INHERITANCE_CYCLE",
    );
    expect(await code(service.update("a", { expectedRevision: 1, parent: "a", requests: [] }, actor))).toBe(
      "PROFILE_INHERITANCE_CYCLE",
    );
    expect((await service.get("a")).revision).toBe(1);
  });

  it("re-queues every descendant when a parent changes, each with a new validation id", async () => {
    await service.create({ name: "base", requests: ["python-3.10"] }, actor);
    await service.create({ name: "mid", parent: "base", requests: ["numpy"] }, actor);
    await service.create({ name: "leaf", parent: "mid", requests: ["usd"] }, actor);
    await service.create({ name: "other", requests: ["nuke"] }, actor);
    published = [];
    await service.update("base", { expectedRevision: 1, requests: ["python-3.11"] }, actor);
    expect(
      published.map((e) => [e.detail.name, e.detail.revision, (e.detail as { change: string }).change]),
    ).toEqual([
      ["base", 2, "updated"],
      ["mid", 1, "parent-changed"],
      ["leaf", 1, "parent-changed"],
    ]);
    const leaf = await service.get("leaf");
    expect(leaf.effectiveRequest).toEqual(["python-3.11", "numpy", "usd"]);
    expect(leaf.validationId).toBe((published[2]!.detail as { validationId: string }).validationId);
    expect(leaf.validationId).not.toBe("v3");
  });

  it("re-queues a child revision saved while its parent changed, so none keeps the old inherited request", async () => {
    const inner = createMemoryProfileStore();
    let inject = false;
    const racing: ProfileStore = {
      ...inner,
      async setValidation(name, revision, expected, state) {
        if (inject && name === "child") {
          inject = false;
          // A child update lands between the re-queue's read and its write, computed from the old parent.
          const stale = await inner.get("child");
          await inner.update(
            nextRevision(stale!, { requests: ["nuke"], effectiveRequest: ["python-3.10", "nuke"] }),
            1,
          );
        }
        return inner.setValidation(name, revision, expected, state);
      },
    };
    const events: ProfileEvent[] = [];
    const racy = createProfileService({
      store: racing,
      publisher: { publish: async (e) => void events.push(e) },
    });
    await racy.create({ name: "base", requests: ["python-3.10"] }, actor);
    await racy.create({ name: "child", parent: "base", requests: ["numpy"] }, actor);
    inject = true;
    await racy.update("base", { expectedRevision: 1, requests: ["python-3.11"] }, actor);
    const child = await racy.get("child");
    expect(child).toMatchObject({
      revision: 2,
      status: "pending",
      effectiveRequest: ["python-3.11", "nuke"],
    });
    const announced = events.filter((e) => e.detail.name === "child").at(-1)!;
    expect(announced.detail).toMatchObject({
      revision: 2,
      validationId: child.validationId,
      effectiveRequest: ["python-3.11", "nuke"],
    });
  });

  it("announces an inherited clash for the validator to report, instead of refusing the parent's change", async () => {
    await service.create({ name: "base", requests: ["python-3.10"] }, actor);
    await service.create({ name: "legacy", parent: "base", requests: ["python-3.10+"] }, actor);
    published = [];
    await service.update("base", { expectedRevision: 1, requests: ["python-3.9"] }, actor);
    const requeued = published.find((e) => e.detail.name === "legacy")!;
    expect(requeued.detail).toMatchObject({
      change: "parent-changed",
      inheritanceConflict: { requirements: ["python-3.9", "python-3.10+"] },
    });
  });

  it("refuses to delete a profile others inherit from, then deletes it once they are gone", async () => {
    await service.create({ name: "base", requests: [] }, actor);
    await service.create({ name: "child", parent: "base", requests: [] }, actor);
    const refused = await service.delete("base").catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "PROFILE_HAS_CHILDREN", children: ["child"] });
    expect(await code(service.delete("child", { expectedRevision: 2 }))).toBe("PROFILE_REVISION_CONFLICT");
    await service.delete("child", { expectedRevision: 1 });
    await service.delete("base");
    expect(await code(service.get("base"))).toBe("PROFILE_NOT_FOUND");
    expect(published.at(-1)).toMatchObject({
      type: "ProfileChanged",
      detail: { name: "base", change: "deleted" },
    });
  });

  it("keeps a deleted profile's history readable and continues its numbering when the name is reused", async () => {
    await service.create({ name: "shot", requests: ["python-3.10"] }, actor);
    await service.update("shot", { expectedRevision: 1, requests: ["python-3.11"] }, actor);
    now = new Date("2026-03-01T11:00:00.000Z");
    await service.delete("shot", { expectedRevision: 2, actor: "bob" });
    expect(await code(service.get("shot"))).toBe("PROFILE_NOT_FOUND");
    const history = await service.history("shot");
    expect(history.items.map((p) => [p.revision, p.deleted ?? false, p.updatedBy])).toEqual([
      [1, false, "alice"],
      [2, false, "alice"],
      [3, true, "bob"],
    ]);
    expect((await service.getRevision("shot", 2)).requests).toEqual(["python-3.11"]);
    expect((await service.diff("shot", 1, 2)).requests.changed).toHaveLength(1);

    const again = await service.create({ name: "shot", requests: ["python-3.9"] }, actor);
    expect(again.revision).toBe(4);
    const updated = await service.update("shot", { expectedRevision: 4, requests: ["python-3.10"] }, actor);
    expect(updated.revision).toBe(5);
    expect(published.filter((e) => e.detail.name === "shot").map((e) => e.detail.revision)).toEqual([
      1, 2, 2, 4, 5,
    ]);
    expect(await code(service.history("never-was"))).toBe("PROFILE_NOT_FOUND");
  });

  it("wraps an unexpected store error once, as PROFILE_STORE_FAILURE with the cause kept", async () => {
    const broken = new Error("connection reset by peer");
    const store = createMemoryProfileStore();
    const failing = createProfileService({
      store: { ...store, get: async () => Promise.reject(broken) },
      publisher: { publish: async () => {} },
    });
    const error = await failing.get("anything").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileDepsError);
    expect(error).toMatchObject({ code: "PROFILE_STORE_FAILURE", cause: broken });
    expect((error as Error).message).toContain("connection reset by peer");
  });

  it("lists by tag and status with pagination", async () => {
    for (const name of ["e", "d", "c", "b", "a"]) {
      await service.create({ name, requests: [], tags: name < "c" ? ["early"] : [] }, actor);
    }
    const page1 = await service.list({ limit: 2 });
    expect(page1.items.map((p) => p.name)).toEqual(["a", "b"]);
    const page2 = await service.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((p) => p.name)).toEqual(["c", "d"]);
    const page3 = await service.list({ limit: 2, cursor: page2.nextCursor! });
    expect(page3).toEqual({ items: [expect.objectContaining({ name: "e" })] });
    expect((await service.list({ tag: "early" })).items.map((p) => p.name)).toEqual(["a", "b"]);
    expect((await service.list({ status: "valid" })).items).toEqual([]);
  });

  it("refuses a lock until the revision is valid", async () => {
    await service.create({ name: "tools", requests: ["python"] }, actor);
    expect(await code(service.lock("tools"))).toBe("PROFILE_NOT_VALID");
    const changed = published[0]!.detail as { validationId: string };
    const outcome = await service.applyValidation({
      name: "tools",
      revision: 1,
      validationId: changed.validationId,
      effectiveRequest: ["python"],
      result: {
        status: "valid",
        packages: [{ name: "python", version: "3.11.6", variantIndex: null }],
        resolvedAt: "2026-03-01T10:00:01.000Z",
      },
    });
    expect(outcome).toEqual({ applied: true });
    expect(await service.lock("tools")).toEqual({
      name: "tools",
      revision: 1,
      request: ["python"],
      packages: ["python==3.11.6"],
      variants: [{ name: "python", version: "3.11.6", variantIndex: null }],
      ephemerals: [],
      replayRequest: ["python==3.11.6"],
      resolvedAt: "2026-03-01T10:00:01.000Z",
      timestamp: Date.parse("2026-03-01T10:00:01.000Z") / 1000,
    });
    expect(await code(service.lock("tools", 2))).toBe("PROFILE_REVISION_NOT_FOUND");
  });

  it("keeps a change whose event could not be published, marked not queued until revalidated", async () => {
    let down = true;
    const failures: string[] = [];
    const flaky = createProfileService({
      store: createMemoryProfileStore(),
      publisher: {
        publish: async (event) => {
          if (down) throw new Error("bus unreachable");
          published.push(event);
        },
      },
      onPublishError: (_error, event) => failures.push(`${event.type} ${event.detail.name}`),
    });
    const created = await flaky.create({ name: "offline", requests: ["python"] }, actor);
    expect(created.status).toBe("error");
    expect(created.error).toEqual({
      code: "VALIDATION_NOT_QUEUED",
      message: expect.stringContaining("bus unreachable"),
    });
    expect(await flaky.get("offline")).toEqual(created);
    expect(failures).toEqual(["ProfileChanged offline"]);
    down = false;
    const requeued = await flaky.revalidate("offline");
    expect(requeued).toMatchObject({ status: "pending", revision: 1 });
    expect(requeued.error).toBeUndefined();
    expect(published.at(-1)).toMatchObject({
      type: "ProfileChanged",
      detail: { name: "offline", change: "revalidate" },
    });
  });

  it("refuses a malformed result and reports one for an unknown revision as not found", async () => {
    expect(await code(service.applyValidation({ name: "x" } as never))).toBe("INVALID_PROFILE_EVENT");
    const outcome = await service.applyValidation({
      name: "nobody",
      revision: 1,
      validationId: "v",
      effectiveRequest: [],
      result: { status: "error", error: { code: "X", message: "m" }, resolvedAt: "2026-03-01T10:00:01.000Z" },
    });
    expect(outcome).toEqual({ applied: false, reason: "not-found" });
  });
});
