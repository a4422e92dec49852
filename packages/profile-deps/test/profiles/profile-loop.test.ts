import {
  createInProcessProfileDeps,
  createPublishableMemoryRepository,
  type InProcessProfileDeps,
  ProfileEventType,
  type ProfileValidated,
  publishPackage,
  resolve,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const actor = { actor: "alice" };
let deps: InProcessProfileDeps;

beforeEach(() => {
  deps = createInProcessProfileDeps({
    repository: createPublishableMemoryRepository(sampleRepositoryDocument),
  });
});
afterEach(() => deps.close());

describe("the validation loop on the in-process bus", () => {
  it("creates a profile pending, then shows it valid with the resolved packages", async () => {
    const created = await deps.service.create({ name: "lighting", requests: ["maya-2024", "usd"] }, actor);
    expect(created).toMatchObject({ revision: 1, status: "pending", createdBy: "alice", updatedBy: "alice" });
    expect((await deps.service.get("lighting")).status).toBe("pending");
    await deps.idle();
    const profile = await deps.service.get("lighting");
    expect(profile.status).toBe("valid");
    expect(profile.packages?.map((p) => `${p.name}-${p.version}`)).toEqual([
      "platform-windows",
      "python-3.10.13",
      "maya-2024.2",
      "openexr-3.2.1",
      "usd-23.11",
    ]);
    expect(profile.resolvedAt).toBeDefined();
  });

  it("marks a failed solve invalid with the failure naming the conflict", async () => {
    await deps.service.create({ name: "clash", requests: ["maya-2023", "houdini-20"] }, actor);
    await deps.idle();
    const profile = await deps.service.get("clash");
    expect(profile.status).toBe("invalid");
    expect(profile.failure?.kind).toBe("conflict");
    expect(profile.failure?.description).toContain("python-3.9");
    expect(profile.packages).toBeUndefined();
  });

  it("marks a missing package as error with the message", async () => {
    await deps.service.create({ name: "missing", requests: ["nosuch-1"] }, actor);
    await deps.idle();
    const profile = await deps.service.get("missing");
    expect(profile.status).toBe("error");
    expect(profile.error).toEqual({
      code: "PACKAGE_FAMILY_NOT_FOUND",
      message: "Package family not found: nosuch",
    });
  });

  it("ignores a stale result: a result for revision 1 never overwrites revision 2's status", async () => {
    const validated: ProfileValidated[] = [];
    deps.bus.subscribe(ProfileEventType.profileValidated, (e) => {
      validated.push(e.detail as ProfileValidated);
    });
    await deps.service.create({ name: "comp", requests: ["nuke-15"] }, actor);
    await deps.idle();
    const first = validated[0]!;
    await deps.service.update("comp", { expectedRevision: 1, requests: ["nuke-14", "nosuch"] }, actor);
    await deps.idle();
    expect((await deps.service.get("comp")).status).toBe("error");
    // The first result arrives again, late (as a redelivery would).
    expect(await deps.service.applyValidation(first)).toEqual({ applied: true });
    const current = await deps.service.get("comp");
    expect(current).toMatchObject({ revision: 2, status: "error" });
    expect((await deps.service.getRevision("comp", 1)).status).toBe("valid");
    // A result computed for a superseded validation of the same revision is refused.
    const stale = { ...validated[1]!, validationId: first.validationId };
    expect(await deps.service.applyValidation(stale)).toEqual({ applied: false, reason: "stale" });
  });

  it("re-validates children when a parent changes, with the new inherited request", async () => {
    await deps.service.create({ name: "base", requests: ["python-3.10"] }, actor);
    await deps.service.create({ name: "fx", parent: "base", requests: ["houdini"] }, actor);
    await deps.service.create({ name: "fx-sim", parent: "fx", requests: ["numpy"] }, actor);
    await deps.idle();
    expect((await deps.service.get("fx")).packages?.find((p) => p.name === "houdini")?.version).toBe(
      "20.0.547",
    );
    await deps.service.update("base", { expectedRevision: 1, requests: ["python-3.9"] }, actor);
    const child = await deps.service.get("fx");
    expect(child).toMatchObject({
      revision: 1,
      status: "pending",
      effectiveRequest: ["python-3.9", "houdini"],
    });
    await deps.idle();
    const revalidated = await deps.service.get("fx");
    expect(revalidated.status).toBe("valid");
    expect(revalidated.packages?.find((p) => p.name === "houdini")?.version).toBe("19.5.773");
    const grandchild = await deps.service.get("fx-sim");
    expect(grandchild.effectiveRequest).toEqual(["python-3.9", "houdini", "numpy"]);
    expect(grandchild.packages?.find((p) => p.name === "numpy")?.version).toBe("1.24.4");
  });

  it("marks a child invalid when its parent changes into a clash with it", async () => {
    await deps.service.create({ name: "base", requests: ["python-3.10"] }, actor);
    await deps.service.create({ name: "legacy", parent: "base", requests: ["python-3.10+"] }, actor);
    await deps.service.update("base", { expectedRevision: 1, requests: ["python-3.9"] }, actor);
    await deps.idle();
    const child = await deps.service.get("legacy");
    expect(child.status).toBe("invalid");
    expect(child.failure?.description).toContain("python-3.10+");
    expect(child.failure?.description).toContain("python-3.9");
  });

  it("resolves a profile again, from the same lock, as of its resolve time", async () => {
    await deps.service.create({ name: "tools", requests: ["studio_tools"] }, actor);
    await deps.idle();
    const lock = await deps.service.lock("tools");
    expect(lock).toMatchObject({ name: "tools", revision: 1, request: ["studio_tools"] });
    expect(lock.packages).toContain("studio_tools==2.0.0");
    expect(lock.packages.every((p) => /^[A-Za-z0-9_.]+==/.test(p))).toBe(true);

    // A newer release appears; resolving the lock's request as of its timestamp still gives the locked set.
    await publishPackage(deps.repository, {
      name: "studio_tools",
      version: "3.0.0",
      requires: ["python-3.11"],
      timestamp: lock.timestamp + 60,
    });
    const latest = await resolve(lock.request, deps.repository);
    expect(latest.status === "solved" && latest.packages.map((p) => `${p.name}==${p.version}`)).toContain(
      "studio_tools==3.0.0",
    );
    const again = await resolve(lock.request, deps.repository, { timestamp: lock.timestamp });
    expect(again.status === "solved" && again.packages.map((p) => `${p.name}==${p.version}`)).toEqual(
      lock.packages,
    );
  });

  it("re-queues a profile on request, e.g. after packages were published", async () => {
    await deps.service.create({ name: "late", requests: ["pipeline"] }, actor);
    await deps.idle();
    expect((await deps.service.get("late")).status).toBe("error");
    await publishPackage(deps.repository, { name: "pipeline", version: "1", requires: ["python-3.11"] });
    const requeued = await deps.service.revalidate("late");
    expect(requeued).toMatchObject({ revision: 1, status: "pending" });
    await deps.idle();
    const profile = await deps.service.get("late");
    expect(profile.status).toBe("valid");
    expect(profile.error).toBeUndefined();
  });
});
