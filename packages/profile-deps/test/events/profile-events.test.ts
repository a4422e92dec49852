import {
  createProfileEventHandler,
  createProfileValidator,
  createPublishableMemoryRepository,
  type ProfileEvent,
  parseProfileEvent,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { describe, expect, it } from "vitest";

const changed = {
  name: "lighting",
  revision: 3,
  effectiveRequest: ["maya-2024"],
  validationId: "v-3",
  change: "updated",
};

describe("profile events", () => {
  it("parses known types, ignores unknown ones and names bad fields", () => {
    expect(parseProfileEvent("ProfileChanged", changed)).toEqual({ type: "ProfileChanged", detail: changed });
    expect(parseProfileEvent("SomethingElse", {})).toBeNull();
    expect(() => parseProfileEvent("ProfileChanged", { ...changed, revision: 0 })).toThrow(/revision/);
    expect(() => parseProfileEvent("ProfileValidated", { ...changed, result: { status: "valid" } })).toThrow(
      /Invalid ProfileValidated event/,
    );
  });

  it("routes ProfileChanged to the validator and ProfileValidated to the service", async () => {
    const calls: string[] = [];
    const handle = createProfileEventHandler({
      validator: { handle: async (e) => calls.push(`validate ${e.name}@${e.revision}`) },
      service: { applyValidation: async (e) => calls.push(`apply ${e.name}@${e.revision}`) },
    });
    expect(await handle("ProfileChanged", changed)).toBe("handled");
    const validated = {
      ...changed,
      result: { status: "error", error: { code: "X", message: "m" }, resolvedAt: "2026-01-01T00:00:00.000Z" },
    };
    expect(await handle("ProfileValidated", validated)).toBe("handled");
    expect(await handle("Unrelated", {})).toBe("ignored");
    expect(calls).toEqual(["validate lighting@3", "apply lighting@3"]);
    const validatorOnly = createProfileEventHandler({ validator: { handle: async () => null } });
    expect(await validatorOnly("ProfileValidated", validated)).toBe("ignored");
  });

  it("has the validator answer for the exact revision and validation id it was given", async () => {
    const published: ProfileEvent[] = [];
    const validator = createProfileValidator({
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
      publisher: { publish: async (e) => void published.push(e) },
      clock: { now: () => new Date("2026-05-05T00:00:00.000Z") },
    });
    const answer = await validator.handle({ ...changed, change: "updated" });
    expect(answer).toMatchObject({
      name: "lighting",
      revision: 3,
      validationId: "v-3",
      result: { status: "valid" },
    });
    expect(published).toEqual([{ type: "ProfileValidated", detail: answer }]);
    expect(await validator.handle({ ...changed, change: "deleted" })).toBeNull();
    expect(published).toHaveLength(1);
    const budget = createProfileValidator({
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
      publisher: { publish: async () => {} },
      resolveOptions: { maxSteps: 0 },
    });
    expect((await budget.validate(["maya-2024", "usd"])).status).toBe("error");
  });
});
