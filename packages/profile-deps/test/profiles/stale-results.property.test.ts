import {
  createMemoryProfileStore,
  createProfileService,
  createProfileValidator,
  createPublishableMemoryRepository,
  type ProfileChanged,
  type ProfileValidated,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const baseRequests = [["python-3.10"], ["python-3.9"], ["python-3.11"], ["python-3.9", "platform-linux"]];
const childRequests = [["numpy"], ["nuke"], ["houdini"], ["usd"], ["nosuch"]];

type Action =
  | { kind: "update"; profile: "base" | "child"; requests: number }
  | { kind: "deliver"; pick: number }
  | { kind: "redeliver"; pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("update" as const),
    profile: fc.constantFrom("base" as const, "child" as const),
    requests: fc.nat(4),
  }),
  fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("redeliver" as const), pick: fc.nat() }),
);

describe("validation results in any order", () => {
  it("show each profile the result of its current validation, or pending, never a stale one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 30 }), async (actions) => {
        const store = createMemoryProfileStore();
        const changed: ProfileChanged[] = [];
        const service = createProfileService({
          store,
          publisher: {
            publish: async (e) => {
              if (e.type === "ProfileChanged") changed.push(e.detail);
            },
          },
        });
        const validator = createProfileValidator({
          repository: createPublishableMemoryRepository(sampleRepositoryDocument),
          publisher: { publish: async () => {} },
        });
        const pending: ProfileValidated[] = [];
        const delivered: ProfileValidated[] = [];
        /** The validation each profile last asked for: the only one whose result may show. */
        const latest = new Map<string, string>();
        const drainChanged = async () => {
          for (const event of changed.splice(0)) {
            latest.set(event.name, event.validationId);
            const result = await validator.handle(event);
            if (result) pending.push(result);
          }
        };
        await service.create({ name: "base", requests: baseRequests[0]! }, { actor: "t" });
        await service.create({ name: "child", parent: "base", requests: childRequests[0]! }, { actor: "t" });
        await drainChanged();

        for (const step of actions) {
          if (step.kind === "update") {
            const current = await service.get(step.profile);
            const requests = step.profile === "base" ? baseRequests : childRequests;
            await service
              .update(
                step.profile,
                {
                  expectedRevision: current.revision,
                  requests: requests[step.requests % requests.length]!,
                  parent: current.parent,
                },
                { actor: "t" },
              )
              .catch((error: { code?: string }) => {
                // The child's own request may clash with a new base: refused, nothing written.
                if (error.code !== "PROFILE_INHERITANCE_CONFLICT") throw error;
              });
            await drainChanged();
          } else if (step.kind === "deliver" && pending.length > 0) {
            const [result] = pending.splice(step.pick % pending.length, 1);
            await service.applyValidation(result!);
            delivered.push(result!);
          } else if (step.kind === "redeliver" && delivered.length > 0) {
            await service.applyValidation(delivered[step.pick % delivered.length]!);
          }

          for (const name of ["base", "child"]) {
            const profile = await service.get(name);
            expect(profile.validationId).toBe(latest.get(name));
            const own = delivered.find((r) => r.validationId === profile.validationId);
            if (own === undefined) {
              expect(profile.status).toBe("pending");
            } else {
              expect(profile.revision).toBe(own.revision);
              expect(profile.status).toBe(own.result.status);
              expect(profile.effectiveRequest).toEqual(own.effectiveRequest);
              expect(profile.packages).toEqual(
                own.result.status === "valid" ? own.result.packages : undefined,
              );
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
