import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoRoomStore, djRoomTableDefinitions } from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import {
  createDjRoom,
  createMemoryCatalog,
  createMemoryPlayer,
  createSessionTokens,
  DjRoomError,
} from "@portside/dj-room";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const prefix = uniqueName("dj-room-svc");
const { rooms } = tableNames(prefix);

describe("dj-room on DynamoDB", () => {
  beforeAll(() => createTables(client, djRoomTableDefinitions(prefix)));
  afterAll(() => deleteTables(client, [rooms]));

  const build = () => {
    const catalog = createMemoryCatalog();
    return createDjRoom({
      store: createDynamoRoomStore({ client, tableName: rooms }),
      provider: catalog,
      player: createMemoryPlayer({ catalog }),
      tokens: createSessionTokens({ secret: "dynamo-test-secret-dynamo-test-secret" }),
    });
  };

  it("runs a room end to end: join, add, vote, play, skip, vote to skip, close", async () => {
    const dj = build();
    const host = await dj.openRoom("host-dynamo", { settings: { voteSkip: { share: 0.5, minVotes: 1 } } });
    const hostSession = await dj.authenticate(host.token);
    const ada = await dj.authenticate(
      (await dj.joinRoom(host.room.code.toLowerCase(), { name: "Ada" })).token,
    );
    const first = await dj.addTrack(ada, "demo-01");
    await dj.addTrack(hostSession, "demo-02");
    expect((await dj.addTrack(hostSession, "demo-01")).outcome).toBe("voted");
    const state = await dj.getState(ada);
    expect(state.queue.map((e) => [e.track.id, e.score])).toEqual([
      ["demo-01", 1],
      ["demo-02", 0],
    ]);
    expect(state.queue[0]?.track.title).toBe(first.entry.track.title);
    expect((await dj.start(hostSession)).phase).toBe("playing");
    expect(await dj.voteToSkip(ada)).toMatchObject({ votes: 1, needed: 1, skipped: true });
    expect((await dj.getState(ada)).room.playback).toMatchObject({
      phase: "playing",
      track: { id: "demo-02" },
    });
    await dj.closeRoom(hostSession);
    const reopened = await dj.reopenRoom("host-dynamo", host.room.id);
    expect(reopened.room).toMatchObject({ status: "open", code: host.room.code });
  });

  it("maps a missing table to store_unavailable, never an SDK error", async () => {
    const store = createDynamoRoomStore({ client, tableName: `${rooms}-missing` });
    const error = await store.getRoom("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DjRoomError);
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
