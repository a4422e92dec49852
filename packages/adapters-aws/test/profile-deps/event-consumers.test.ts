import {
  createProfileEventLambdaHandler,
  createProfileEventSqsHandler,
  createProfileEventSqsLambdaHandler,
} from "@portside/adapters-aws/profile-deps";
import type { ProfileChanged } from "@portside/profile-deps";
import { describe, expect, it } from "vitest";

const detail: ProfileChanged = {
  name: "lighting",
  revision: 2,
  effectiveRequest: ["maya-2024"],
  validationId: "v-2",
  change: "updated",
};
const envelope = (overrides: Record<string, unknown> = {}) => ({
  version: "0",
  id: "e-1",
  source: "portside.profile-deps",
  "detail-type": "ProfileChanged",
  time: "2026-01-01T00:00:00Z",
  detail,
  ...overrides,
});

describe("profile event consumers", () => {
  it("hand an EventBridge envelope's detail to the validator", async () => {
    const seen: ProfileChanged[] = [];
    const handler = createProfileEventLambdaHandler({ validator: { handle: async (e) => seen.push(e) } });
    expect(await handler(envelope())).toBe("handled");
    expect(seen).toEqual([detail]);
  });

  it("ignore other sources and types, and reject malformed events without throwing", async () => {
    const rejected: string[] = [];
    const handler = createProfileEventLambdaHandler({
      validator: { handle: async () => null },
      onRejected: (error) => rejected.push(error.message),
    });
    expect(await handler(envelope({ source: "portside.registry" }))).toBe("ignored");
    expect(await handler(envelope({ "detail-type": "EntityChanged" }))).toBe("ignored");
    expect(await handler(envelope({ detail: { name: "x" } }))).toBe("rejected");
    expect(await handler({ nope: true } as never)).toBe("rejected");
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatch(/Invalid ProfileChanged event/);
  });

  it("let a handling failure throw from the Lambda handler, so EventBridge retries it", async () => {
    const handler = createProfileEventLambdaHandler({
      validator: {
        handle: async () => {
          throw new Error("store down");
        },
      },
    });
    await expect(handler(envelope())).rejects.toThrow("store down");
  });

  it("report only the SQS messages whose handling failed, dropping unfixable ones", async () => {
    const rejected: string[] = [];
    const handle = createProfileEventSqsHandler({
      validator: {
        handle: async (e) => {
          if (e.name === "flaky") throw new Error("try again");
          return null;
        },
      },
      onRejected: (error) => rejected.push(error.message),
    });
    const result = await handle([
      { id: "ok", body: JSON.stringify(envelope()) },
      { id: "flaky", body: JSON.stringify(envelope({ detail: { ...detail, name: "flaky" } })) },
      { id: "garbage", body: "not json" },
    ]);
    expect(result).toEqual({ failed: ["flaky"] });
    expect(rejected).toEqual(["Message garbage is not JSON"]);

    const lambda = createProfileEventSqsLambdaHandler({
      validator: {
        handle: async () => {
          throw new Error("down");
        },
      },
    });
    expect(await lambda({ Records: [{ messageId: "m1", body: JSON.stringify(envelope()) }] })).toEqual({
      batchItemFailures: [{ itemIdentifier: "m1" }],
    });
  });
});
