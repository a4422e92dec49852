import {
  createMemoryRegistryStore,
  createRegistryService,
  type RegistryStore,
} from "@portside/registry-core";
import { actors } from "@portside/registry-core/testing";
import { expect, it } from "vitest";

it("resumes a migration that failed part-way from its saved cursor, migrating each entity once and converting unreached ones on read", async () => {
  const memory = createMemoryRegistryStore();
  let failAfter = Number.POSITIVE_INFINITY;
  const flaky: RegistryStore = {
    ...memory,
    label: memory.label,
    async commit(writes) {
      if (failAfter-- <= 0) throw new Error("store went away");
      return memory.commit(writes);
    },
  };
  const registry = createRegistryService({
    store: flaky,
    migrations: { batchSize: 3 },
    logger: { error() {} },
  });
  const { admin, writer } = actors("acme");
  await registry.createType(admin, { name: "item", fields: [{ name: "size", type: "string" }] });
  for (let i = 0; i < 10; i++) await registry.createEntity(writer, "item", { data: { size: String(i) } });

  const migrations = registry.migrations;
  failAfter = 4;
  const { job } = await registry.changeType(admin, "item", {
    fields: [{ ...(await registry.getType(admin, "item")).fields[0]!, type: "integer" }],
  });
  const crashed = await migrations.wait(admin, job!.id);
  expect(crashed.status).toBe("failed");
  expect(crashed.processed).toBe(3);
  expect(crashed.cursor).not.toBeNull();

  const behind = (await registry.search(writer, "item", { limit: 100 })).items.filter((i) => i.version === 1);
  expect(behind.length).toBeGreaterThan(0);
  expect(behind.every((i) => typeof i.data.size === "number")).toBe(true);

  failAfter = Number.POSITIVE_INFINITY;
  const again = await registry.changeType(admin, "item", { tags: ["x"] }).catch((e: unknown) => e);
  expect(again).toMatchObject({ code: "CONFLICT", details: { jobId: job!.id, status: "failed" } });

  await migrations.resume(admin, job!.id);
  const done = await migrations.wait(admin, job!.id);
  expect(done).toMatchObject({ status: "completed", processed: 10, failed: 0 });
  const items = (await registry.search(writer, "item", { limit: 100 })).items;
  expect(items.map((i) => i.data.size).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(new Set(items.map((i) => i.version))).toEqual(new Set([2]));
  expect((await registry.changeType(admin, "item", { tags: ["x"] })).type.version).toBe(3);
});
