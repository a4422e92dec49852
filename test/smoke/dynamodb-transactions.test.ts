// The DynamoDB engine must serialize conflicting transactions and honour idempotency tokens, as
// DynamoDB does; the stores' "nothing lost, nothing counted twice" rests on both. moto does neither
// (it copies the table per transaction without a lock), so this runs on AWS_ENDPOINT_URL_DYNAMODB.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const TableName = uniqueName("smoke-tx");

beforeAll(() =>
  client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  ),
);
afterAll(() => client.send(new DeleteTableCommand({ TableName })));

const count = async (pk: string) => {
  const { Item } = await client.send(
    new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return Number(Item?.n?.N ?? 0);
};

it("lets exactly one of 50 parallel transactions claim the same item", async () => {
  const claims = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: { pk: { S: "claimed" }, by: { S: String(i) } },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName,
                Key: { pk: { S: "claims" } },
                UpdateExpression: "ADD n :one",
                ExpressionAttributeValues: { ":one": { N: "1" } },
              },
            },
          ],
        }),
      ),
    ),
  );
  expect(claims.filter((c) => c.status === "fulfilled")).toHaveLength(1);
  expect(await count("claims")).toBe(1);
});

it("applies a transaction sent twice with one ClientRequestToken once", async () => {
  const send = () =>
    client.send(
      new TransactWriteItemsCommand({
        ClientRequestToken: "smoke-idempotent-increment",
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { pk: { S: "idempotent" } },
              UpdateExpression: "ADD n :one",
              ExpressionAttributeValues: { ":one": { N: "1" } },
            },
          },
        ],
      }),
    );
  await send();
  await send();
  expect(await count("idempotent")).toBe(1);
});

it("counts 200 parallel increments exactly", async () => {
  await Promise.all(
    Array.from({ length: 200 }, () =>
      client.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: { S: "parallel" } },
          UpdateExpression: "ADD n :one",
          ExpressionAttributeValues: { ":one": { N: "1" } },
        }),
      ),
    ),
  );
  expect(await count("parallel")).toBe(200);
});
