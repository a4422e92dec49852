import { createDynamoRoomStore, djRoomTableDefinitions } from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { describeRoomStoreConformance } from "@portside/dj-room/testing";
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
