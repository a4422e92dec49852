import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDynamoRoomStore, djRoomTableDefinitions } from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { describeRoomStoreConformance } from "@portside/dj-room/testing";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const prefix = uniqueName("dj-room");
const { rooms } = tableNames(prefix);

describeRoomStoreConformance("dynamodb", {
  async create() {
    await createTables(client, djRoomTableDefinitions(prefix));
    return createDynamoRoomStore({ client, tableName: rooms });
  },
  destroy: () => deleteTables(client, [rooms]),
  propertyRuns: 15,
  parallelVoters: 250,
  async countVoteRecords(roomId, entryId) {
    const doc = DynamoDBDocumentClient.from(client);
    const counts = { up: 0, down: 0 };
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: rooms,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :votes)",
          ExpressionAttributeValues: { ":pk": `ROOM#${encodeURIComponent(roomId)}`, ":votes": "VOTE#" },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entryId !== entryId) continue;
        if (item.value === 1) counts.up++;
        if (item.value === -1) counts.down++;
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return counts;
  },
});
