import {
  createInProcessProfileDeps,
  createPublishableMemoryRepository,
  LockNotReproducibleError,
  publishPackage,
  replayLock,
  resolve,
} from "@portside/profile-deps";
import { describe, expect, it } from "vitest";

const LOCKED_AT = new Date("2026-03-01T10:00:00.000Z");
const lockedAtSeconds = LOCKED_AT.getTime() / 1000;

function setup() {
  const repository = createPublishableMemoryRepository({
    format: "rez-benchmark-repository/1",
    families: {
      app: { "1.0": { requires: ["lib-1"], timestamp: lockedAtSeconds - 3000 } },
      lib: {
        "1.0": { requires: [], timestamp: lockedAtSeconds - 3000 },
        "1.1": { requires: [], timestamp: lockedAtSeconds - 2000 },
      },
      tool: {
        "2.0": { requires: [], variants: [["lib-1.0"], ["lib-1.1"]], timestamp: lockedAtSeconds - 3000 },
      },
    },
  });
  const clock = { now: () => LOCKED_AT };
  return { repository, deps: createInProcessProfileDeps({ repository, clock }), clock };
}

describe("a profile's lock", () => {
  it("records the resolve time, exact versions, variant indices and ephemerals", async () => {
    const { deps } = setup();
    await deps.service.create({ name: "shot", requests: ["app", "tool", ".feature-2"] }, { actor: "ana" });
    await deps.idle();
    const profile = await deps.service.get("shot");
    expect(profile.status).toBe("valid");
    expect(profile.ephemerals).toEqual([".feature-2"]);

    const lock = await deps.service.lock("shot");
    expect(lock.timestamp).toBe(lockedAtSeconds);
    expect(lock.variants).toEqual([
      { name: "lib", version: "1.1", variantIndex: null },
      { name: "app", version: "1.0", variantIndex: null },
      { name: "tool", version: "2.0", variantIndex: 1 },
    ]);
    expect(lock.ephemerals).toEqual([".feature-2"]);
    expect(lock.replayRequest).toEqual(["lib==1.1", "app==1.0", "tool==2.0", ".feature-2"]);
    await deps.close();
  });

  it("replays identically after newer and older-stamped packages are published", async () => {
    const { deps, repository, clock } = setup();
    await deps.service.create({ name: "shot", requests: ["app", "tool", ".feature-2"] }, { actor: "ana" });
    await deps.idle();
    const lock = await deps.service.lock("shot");
    const before = await replayLock(lock, repository);

    // Published after the lock: one stamped before it (a back-dated import), one after.
    await publishPackage(
      repository,
      { name: "lib", version: "1.2", timestamp: lockedAtSeconds - 1000 },
      { clock },
    );
    await publishPackage(
      repository,
      { name: "lib", version: "1.3", timestamp: lockedAtSeconds + 1000 },
      { clock },
    );
    await publishPackage(
      repository,
      { name: "tool", version: "2.1", timestamp: lockedAtSeconds - 10 },
      { clock },
    );

    // Resolving the request as of the lock's time would take the back-dated packages:
    const asOf = await resolve(lock.request, repository, { timestamp: lock.timestamp });
    expect(asOf.status === "solved" && asOf.packages.map((p) => `${p.name}-${p.version}`)).toEqual([
      "lib-1.2",
      "app-1.0",
      "tool-2.1",
    ]);

    const after = await replayLock(lock, repository);
    expect(after).toEqual(before);
    expect(after.packages).toEqual(lock.variants);
    expect(after.ephemerals).toEqual([".feature-2"]);
    await deps.close();
  });

  it("refuses to replay a lock whose packages are not in the repository", async () => {
    const { deps } = setup();
    await deps.service.create({ name: "shot", requests: ["app"] }, { actor: "ana" });
    await deps.idle();
    const lock = await deps.service.lock("shot");
    const elsewhere = createPublishableMemoryRepository({
      format: "rez-benchmark-repository/1",
      families: {},
    });
    const error = await replayLock(lock, elsewhere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockNotReproducibleError);
    expect((error as LockNotReproducibleError).code).toBe("LOCK_NOT_REPRODUCIBLE");
    await deps.close();
  });
});
