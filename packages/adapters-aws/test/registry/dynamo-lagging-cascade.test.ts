import { deleteTables } from "@portside/adapters-aws/dynamodb";
import { createDynamoRegistryStore, createRegistryTable } from "@portside/adapters-aws/registry";
import { createRegistryService } from "@portside/registry-core";
import { actors, companyType, personType, taskType } from "@portside/registry-core/testing";
import { afterAll, expect, it } from "vitest";
import { faultyDynamoClient, uniqueName } from "#test-support";

const LAG_MS = 1000;
const { client, counts } = faultyDynamoClient({ indexLagMs: LAG_MS });
const tableName = uniqueName("registry-lag");

it("cascades only to sources whose own record still links, whatever a lagging index shows", async () => {
  await createRegistryTable(client, tableName);
  const registry = createRegistryService({ store: createDynamoRegistryStore({ client, tableName }) });
  const { admin, writer } = actors("lag");
  for (const type of [companyType, personType, taskType]) await registry.createType(admin, type);
  const ada = await registry.createEntity(writer, "person", { data: { name: "Ada" } });
  const task = await registry.createEntity(writer, "task", { data: { title: "t", owner: ada.id } });
  // Once the index shows task -> ada (on delete: cascade), unlink it: the index keeps showing the
  // edge for a while, and deleting Ada then must not take the task with her.
  await new Promise((resolve) => setTimeout(resolve, LAG_MS + 200));
  await registry.updateEntity(writer, "task", task.id, { data: { owner: null } });
  await registry.deleteEntity(writer, "person", ada.id);
  expect(counts.laggedIndexItems).toBeGreaterThan(0);
  expect((await registry.getEntity(writer, "task", task.id)).data.owner).toBeUndefined();
});

afterAll(() => deleteTables(client, [tableName]));
