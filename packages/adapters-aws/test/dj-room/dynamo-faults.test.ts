import {
  createDynamoHostTokenStore,
  createDynamoRoomStore,
  djRoomTableDefinitions,
} from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { describeRoomStoreConformance } from "@portside/dj-room/testing";
import { describe, expect, it } from "vitest";
import { faultProfiles, faultyDynamoClient, uniqueName } from "#test-support";

// The room store's whole conformance suite once per fault profile DynamoDB really produces:
// transaction conflicts, lost responses (the SDK retries a committed write), throttling,
// unprocessed batch items, short query pages and a lagging due-rooms index.
for (const profile of faultProfiles) {
  const { client } = faultyDynamoClient({ ...profile.options, seed: 11 });
  const prefix = uniqueName("dj-faults");
  const { rooms } = tableNames(prefix);
  describeRoomStoreConformance(`dynamodb under ${profile.name}`, {
    async create() {
      await createTables(client, djRoomTableDefinitions(prefix));
      return createDynamoRoomStore({ client, tableName: rooms });
    },
    destroy: () => deleteTables(client, [rooms]),
    propertyRuns: 5,
    parallelVoters: 60,
  });
}

describe("DynamoDB host token store under every fault profile", () => {
  for (const profile of faultProfiles) {
    it(`${profile.name}: successive versioned writes all land once; of two racing writers one wins`, async () => {
      const { client } = faultyDynamoClient({ ...profile.options, seed: 5 });
      const prefix = uniqueName("dj-tokens-faults");
      const { rooms } = tableNames(prefix);
      await createTables(client, djRoomTableDefinitions(prefix));
      try {
        const store = createDynamoHostTokenStore({ client, tableName: rooms });
        let version = await store.put("host", "v1.0", null);
        for (let i = 1; i <= 10; i++) version = await store.put("host", `v1.${i}`, version);
        expect(await store.get("host")).toEqual({ ciphertext: "v1.10", version: 11 });
        const race = await Promise.allSettled([store.put("host", "v1.a", 11), store.put("host", "v1.b", 11)]);
        expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect((await store.get("host"))?.version).toBe(12);
        await store.delete("host", 11);
        expect(await store.get("host")).not.toBeNull();
      } finally {
        await deleteTables(client, [rooms]);
      }
    });
  }
});
