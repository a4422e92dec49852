import {
  createInProcessProfileDeps,
  createPublishableMemoryRepository,
  createResolverPool,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { createProfileDepsHandler } from "@portside/profile-deps/http";
import { afterAll, describe, expect, it } from "vitest";

const pool = createResolverPool({ size: 1, timeoutMs: 60_000 });
afterAll(() => pool.close());

describe("resolving profiles and POST /resolve through the pool", () => {
  it("validates a profile on a worker thread and answers POST /resolve from it", async () => {
    const calls: number[] = [];
    const resolver: typeof pool.resolve = (request, repository, options) => {
      calls.push(request.length);
      return pool.resolve(request, repository, options);
    };
    const deps = createInProcessProfileDeps({
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
      resolver,
    });
    await deps.service.create({ name: "lighting", requests: ["maya-2024", "usd"] }, { actor: "ana" });
    await deps.idle();
    const profile = await deps.service.get("lighting");
    expect(profile.status).toBe("valid");
    expect(profile.packages?.map((p) => `${p.name}-${p.version}`)).toContain("maya-2024.2");

    const handler = createProfileDepsHandler({
      service: deps.service,
      repository: deps.repository,
      resolver,
    });
    const response = await handler(
      new Request("http://portside.test/resolve", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requests: ["maya-2024"] }),
      }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe("solved");
    expect(calls).toEqual([2, 1]);
    await deps.close();
  });
});
