import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const TableName = uniqueName("smoke");

beforeAll(async () => {
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
});

it("puts and gets an item", async () => {
  await client.send(new PutItemCommand({ TableName, Item: { pk: { S: "a" }, n: { N: "1" } } }));
  const { Item } = await client.send(
    new GetItemCommand({ TableName, Key: { pk: { S: "a" } }, ConsistentRead: true }),
  );
  expect(Item).toEqual({ pk: { S: "a" }, n: { N: "1" } });
});

it("cancels a whole transaction when one condition fails, writing nothing", async () => {
  await client.send(new PutItemCommand({ TableName, Item: { pk: { S: "taken" } } }));
  const attempt = client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName, Item: { pk: { S: "fresh" } } } },
        { Put: { TableName, Item: { pk: { S: "taken" } }, ConditionExpression: "attribute_not_exists(pk)" } },
      ],
    }),
  );
  const error = await attempt.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransactionCanceledException);
  expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
    "None",
    "ConditionalCheckFailed",
  ]);
  const { Item } = await client.send(new GetItemCommand({ TableName, Key: { pk: { S: "fresh" } } }));
  expect(Item).toBeUndefined();
});
