import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AwsAdapterError, tableName as rootTableName } from "@portside/adapters-aws";
import {
  createTables,
  deleteTables,
  TableNameError,
  tableName,
  tableNames,
  tablePrefixFromEnv,
} from "@portside/adapters-aws/dynamodb";
import { describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

describe("table names", () => {
  it("are <prefix>-<table>", () => {
    expect(tableName("dev", "profiles")).toBe("dev-profiles");
    expect(rootTableName("alice", "packages")).toBe("alice-packages");
    expect(tableNames("prod")).toEqual({
      registry: "prod-registry",
      profiles: "prod-profiles",
      packages: "prod-packages",
      rooms: "prod-rooms",
    });
  });

  it("refuse a prefix DynamoDB would not accept", () => {
    expect(() => tableName("a b", "profiles")).toThrow(TableNameError);
    expect(() => tableName("", "profiles")).toThrow(/Invalid table prefix/);
    expect(() => tableName("a b", "profiles")).toThrow(AwsAdapterError);
    expect(() => tableName("a b", "profiles")).toThrow(
      expect.objectContaining({ code: "INVALID_TABLE_NAME" }),
    );
  });

  it("take the prefix from DYNAMODB_TABLES_USERID and name it when missing", () => {
    expect(tablePrefixFromEnv({ DYNAMODB_TABLES_USERID: " bob " })).toBe("bob");
    expect(() => tablePrefixFromEnv({})).toThrow(/DYNAMODB_TABLES_USERID/);
  });
});

describe("createTables", () => {
  const client = new DynamoDBClient(awsClientConfig("dynamodb"));

  it("creates the tables it is given, skips existing ones, and deleteTables removes them", async () => {
    const prefix = uniqueName("tables");
    const definition = {
      TableName: tableName(prefix, "things"),
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" as const }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" as const }],
    };
    expect(await createTables(client, [definition])).toEqual([definition.TableName]);
    expect(await createTables(client, [definition])).toEqual([]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    await deleteTables(client, [definition.TableName, definition.TableName]);
    await expect(
      client.send(new DescribeTableCommand({ TableName: definition.TableName })),
    ).rejects.toThrow();
  });
});
