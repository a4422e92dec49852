import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoRateLimiter, djRoomTableDefinitions } from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const prefix = uniqueName("dj-rate");
const { rooms } = tableNames(prefix);

describe("DynamoDB rate limiter", () => {
  beforeAll(() => createTables(client, djRoomTableDefinitions(prefix)));
  afterAll(() => deleteTables(client, [rooms]));

  it("admits exactly max hits per window across limiters (instances), in parallel", async () => {
    const instances = [0, 1, 2].map(() => createDynamoRateLimiter({ client, tableName: rooms }));
    const limit = { max: 25, windowMs: 60_000 };
    const now = 1_800_000_030_000;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => instances[i % 3]!.hit("votes:g:ada", limit, now)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect(new Set(results.map((r) => r.retryAfterMs))).toEqual(new Set([30_000]));
    // The next window starts afresh; another key is counted apart.
    expect((await instances[0]!.hit("votes:g:ada", limit, now + 30_000)).allowed).toBe(true);
    expect((await instances[1]!.hit("votes:g:bo", limit, now)).allowed).toBe(true);
  });
});
