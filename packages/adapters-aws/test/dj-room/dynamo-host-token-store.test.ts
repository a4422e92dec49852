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
    expect(await store.put("host-1", await cipher.encrypt(secret), null)).toBe(1);
    const raw = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({ TableName: rooms, Key: { pk: "HOST#host-1", sk: "SPOTIFY_TOKENS" } }),
    );
    expect(JSON.stringify(raw.Item)).not.toContain("plain");
    expect(await cipher.decrypt((await store.get("host-1"))!.ciphertext)).toBe(secret);
    expect(await store.put("host-1", "v1.replaced", 1)).toBe(2);
    expect(await store.get("host-1")).toEqual({ ciphertext: "v1.replaced", version: 2 });
    await store.delete("host-1");
    expect(await store.get("host-1")).toBeNull();
  });

  it("lets one of two racing writers of the same version win, and deletes only the version named", async () => {
    const store = createDynamoHostTokenStore({ client, tableName: rooms });
    await store.put("host-2", "v1.first", null);
    const results = await Promise.allSettled([
      store.put("host-2", "v1.instance-a", 1),
      store.put("host-2", "v1.instance-b", 1),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    const stored = (await store.get("host-2"))!;
    expect(stored.version).toBe(2);
    await store.delete("host-2", 1);
    expect(await store.get("host-2")).toEqual(stored);
    await store.delete("host-2", 2);
    expect(await store.get("host-2")).toBeNull();
  });

  it("keeps the latest 429 backoff a host's token was given, for every instance", async () => {
    const store = createDynamoHostTokenStore({ client, tableName: rooms });
    await store.holdUntil("nobody", 5_000); // no tokens: nothing stored
    expect(await store.get("nobody")).toBeNull();
    await store.put("host-3", "v1.tokens", null);
    await Promise.all([
      store.holdUntil("host-3", 2_000),
      store.holdUntil("host-3", 9_000),
      store.holdUntil("host-3", 4_000),
    ]);
    expect(await store.get("host-3")).toEqual({ ciphertext: "v1.tokens", version: 1, blockedUntil: 9_000 });
  });

  it("reports a missing table as store_unavailable", async () => {
    const store = createDynamoHostTokenStore({ client, tableName: `${rooms}-missing` });
    await expect(store.get("h")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
