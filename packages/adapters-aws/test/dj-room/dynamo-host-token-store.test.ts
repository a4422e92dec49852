import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDynamoHostTokenStore, djRoomTableDefinitions } from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { createAesGcmTokenCipher } from "@portside/dj-room/spotify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const prefix = uniqueName("dj-tokens");
const { rooms } = tableNames(prefix);

describe("DynamoDB host token store", () => {
  beforeAll(() => createTables(client, djRoomTableDefinitions(prefix)));
  afterAll(() => deleteTables(client, [rooms]));

  it("keeps only ciphertext at rest, replaces it and deletes it", async () => {
    const store = createDynamoHostTokenStore({ client, tableName: rooms });
    const cipher = createAesGcmTokenCipher(randomBytes(32));
    const secret = JSON.stringify({
      accessToken: "access-plain",
      refreshToken: "refresh-plain",
      expiresAt: 1,
    });
    expect(await store.get("host-1")).toBeNull();
    await store.put("host-1", await cipher.encrypt(secret));
    const raw = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({ TableName: rooms, Key: { pk: "HOST#host-1", sk: "SPOTIFY_TOKENS" } }),
    );
    expect(JSON.stringify(raw.Item)).not.toContain("plain");
    expect(await cipher.decrypt((await store.get("host-1"))!)).toBe(secret);
    await store.put("host-1", "v1.replaced");
    expect(await store.get("host-1")).toBe("v1.replaced");
    await store.delete("host-1");
    expect(await store.get("host-1")).toBeNull();
  });

  it("reports a missing table as store_unavailable", async () => {
    const store = createDynamoHostTokenStore({ client, tableName: `${rooms}-missing` });
    await expect(store.get("h")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
