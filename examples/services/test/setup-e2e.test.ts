import { randomBytes, randomUUID } from "node:crypto";
import { CreateEventBusCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { AppliedSetup, SetupStep } from "@portside/adapters-aws/setup";
import { domainQueueNames } from "@portside/adapters-aws/setup";
import { encryptLegacy } from "@portside/event-recorder";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  awsClientConfig,
  awsEndpoint,
  createTestDatabase,
  type TestDatabase,
  uniqueName,
} from "#test-support";
import { type ComposedService, composeServices, loadConfig } from "../src/index.js";
import { bearer, TEST_AUTH_SECRET } from "./support/bearer.js";
import {
  allSteps,
  applyStage,
  planStage,
  setupClients,
  stageResources,
  tablesOf,
} from "./support/setup-stage.js";

/**
 * `portside setup` for every service of the examples' manifest on the emulators, then each
 * service composed in AWS mode against exactly the names it created, running one real flow.
 */
describe("the services on the resources portside setup created", () => {
  const prefix = uniqueName("e2e");
  const bus = uniqueName("e2e-bus");
  const clients = setupClients();
  const moto = awsClientConfig();
  const sqsEngine = awsClientConfig("sqs");
  const queues = domainQueueNames(prefix);
  let firstPlan: SetupStep[];
  let secondPlan: SetupStep[];
  let applied: AppliedSetup;
  let tablesBeforeComposing: string[];
  let tablesAfterComposing: string[];
  let database: TestDatabase;
  let dataKey: Buffer;
  const services = new Map<string, ComposedService>();

  const queueUrl = async (sqs: SQSClient, QueueName: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl!;
  const secret = async (name: string) =>
    (
      await clients.onMoto.secretsmanager.send(
        new GetSecretValueCommand({ SecretId: `portside/${prefix}/${name}` }),
      )
    ).SecretString!;

  beforeAll(async () => {
    // Setup makes no bus; the stage's rules live on a bus of its own, so no other test's events reach its queues.
    await new EventBridgeClient(moto).send(new CreateEventBusCommand({ Name: bus }));
    const resources = await stageResources(prefix, bus);
    const plan = await planStage(clients, resources);
    firstPlan = allSteps(plan);
    applied = await applyStage(clients, plan);
    secondPlan = allSteps(await planStage(clients, resources));
    tablesBeforeComposing = await tablesOf(clients.onMoto.dynamodb, prefix);

    const kms = new KMSClient(moto);
    dataKey = randomBytes(32);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: dataKey }),
    );
    database = await createTestDatabase();

    const aws = {
      LOG_LEVEL: "silent",
      AUTH_JWT_SECRET: TEST_AUTH_SECRET,
      REGISTRY_JWT_SECRET: TEST_AUTH_SECRET,
      DYNAMODB_TABLES_USERID: prefix,
      EVENT_BUS_NAME: bus,
      AWS_REGION: moto.region,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: awsEndpoint("dynamodb"),
    };
    const motoSqs = new SQSClient(moto);
    const [webSocket] = applied.webSocketApis;
    const onMoto = await composeServices(
      loadConfig({
        ...aws,
        PROFILE_DEPS_CHANGED_QUEUE_URL: await queueUrl(motoSqs, queues.profileValidation),
        PROFILE_DEPS_VALIDATED_QUEUE_URL: await queueUrl(motoSqs, queues.profileResults),
        PROFILE_DEPS_REPOSITORY: "bundled",
        DJ_ROOM_SESSION_SECRET: await secret("dj-room-session-secret"),
        DJ_ROOM_WEBSOCKET_URL: webSocket?.url,
      }),
      ["registry", "profile-deps", "dj-room"],
    );
    const onSqsEngine = await composeServices(
      loadConfig({
        ...aws,
        AWS_ENDPOINT_URL_SQS: sqsEngine.endpoint,
        DATABASE_URL: database.url,
        EVENT_RECORDER_QUEUE_URL: await queueUrl(new SQSClient(sqsEngine), queues.auditEvents),
        EVENT_RECORDER_ENCRYPTED_KEY: Buffer.from(CiphertextBlob!).toString("base64"),
      }),
      ["event-recorder"],
    );
    for (const service of [...onMoto, ...onSqsEngine]) {
      services.set(service.name, service);
      await service.start?.();
    }
    tablesAfterComposing = await tablesOf(clients.onMoto.dynamodb, prefix);
  }, 120_000);

  afterAll(async () => {
    for (const service of services.values()) await service.close?.();
    await database?.drop();
  });

  const call = async (
    name: string,
    method: string,
    path: string,
    options: { body?: unknown; authorization?: string; cookie?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.authorization) headers.authorization = options.authorization;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await services.get(name)!.handler(
      new Request(`http://e2e.test${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  it("setup creates every resource from nothing; a second plan has nothing to do; composing creates no table", () => {
    expect(firstPlan.filter((s) => s.action !== "create")).toEqual([]);
    expect(firstPlan.map((s) => s.label)).toEqual(
      expect.arrayContaining([
        `table ${prefix}-registry`,
        `table ${prefix}-profiles`,
        `table ${prefix}-packages`,
        `table ${prefix}-rooms`,
        `queue ${queues.auditEvents}`,
        `queue ${queues.profileValidation}`,
        `queue ${queues.profileResults}`,
        `rule ${prefix}-profile-changed`,
        `rule ${prefix}-profile-validated`,
        `websocket-api ${prefix}-dj-room`,
        `secret portside/${prefix}/dj-room-session-secret`,
      ]),
    );
    expect(secondPlan.filter((s) => s.action !== "unchanged")).toEqual([]);
    expect(secondPlan.map((s) => s.label)).toEqual(firstPlan.map((s) => s.label));
    // The compositions create their tables when missing against an emulator: these were not.
    expect(tablesBeforeComposing).toEqual([
      `${prefix}-packages`,
      `${prefix}-profiles`,
      `${prefix}-registry`,
      `${prefix}-rooms`,
    ]);
    expect(tablesAfterComposing).toEqual(tablesBeforeComposing);
  });

  it("registry: creates a type and an entity in the setup-created table and finds it", async () => {
    expect(services.get("registry")!.adapters.store).toBe(`dynamodb:${prefix}-registry`);
    const authorization = await bearer(["admin"]);
    const type = await call("registry", "POST", "/entityType/", {
      authorization,
      body: { name: "site", fields: [{ name: "code", type: "string", unique: true }] },
    });
    expect(type.status).toBe(201);
    const entity = await call("registry", "POST", "/entity/site", {
      authorization,
      body: { data: { code: "hq" } },
    });
    expect(entity.status).toBe(201);
    const found = await call(
      "registry",
      "GET",
      `/entity/site/search/?fields=${encodeURIComponent('code="hq"')}`,
      { authorization },
    );
    expect(found.body.items.map((s: { id: string; data: { code: string } }) => [s.id, s.data.code])).toEqual([
      [entity.body.id, "hq"],
    ]);
  });

  it("profile-deps: a new profile becomes valid through the rules and queues setup created", async () => {
    expect(services.get("profile-deps")!.adapters.store).toBe(`dynamodb:${prefix}-profiles`);
    const authorization = await bearer(["writer"]);
    expect(
      (
        await call("profile-deps", "POST", "/packages", {
          authorization,
          body: { name: "python", version: "3.11.4" },
        })
      ).status,
    ).toBe(201);
    const created = await call("profile-deps", "POST", "/profiles", {
      authorization,
      body: { name: "py", requests: ["python-3.11"] },
    });
    expect(created.status).toBe(201);
    await expect
      .poll(async () => (await call("profile-deps", "GET", "/profiles/py", { authorization })).body, {
        timeout: 20_000,
        interval: 100,
      })
      .toMatchObject({ status: "valid", packages: [{ name: "python" }] });
  });

  it("dj-room: a room on the setup-created table is joined, filled and voted on; its live URL is setup's", async () => {
    expect(services.get("dj-room")!.adapters.store).toBe(`dynamodb:${prefix}-rooms`);
    const login = await call("dj-room", "POST", "/dj/host-login", { body: { name: "DJ" } });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const opened = await call("dj-room", "POST", "/rooms", { cookie, body: { name: "Setup party" } });
    expect(opened.status).toBe(201);
    const { room, token: host } = opened.body;
    const guest = await call("dj-room", "POST", `/rooms/${room.code}/guests`, { body: { name: "Ada" } });
    expect(guest.status).toBe(201);
    const ada = `Bearer ${guest.body.token}`;
    const added = await call("dj-room", "POST", `/rooms/${room.code}/queue`, {
      authorization: ada,
      body: { trackId: "demo-01" },
    });
    expect(added.status).toBe(201);
    const entryId = added.body.entry.id;
    const voted = await call("dj-room", "PUT", `/rooms/${room.code}/queue/${entryId}/vote`, {
      authorization: `Bearer ${host}`,
      body: { value: 1 },
    });
    expect(voted.status).toBe(200);
    // Read back from the table as the host, whose vote it holds.
    const state = await call("dj-room", "GET", `/rooms/${room.code}/state`, {
      authorization: `Bearer ${host}`,
    });
    expect(state.body.queue).toMatchObject([
      { id: entryId, track: { id: "demo-01" }, addedBy: { name: "Ada" }, myVote: 1 },
    ]);
    // The browser's live channel is the WebSocket API setup created, as its DJ_ROOM_WEBSOCKET_URL.
    expect(state.body.live).toEqual({ transport: "websocket", url: applied.webSocketApis[0]!.url });
  });

  it("event-recorder: an encrypted event sent to the setup-created audit queue lands in PostgreSQL", async () => {
    const event = {
      eventId: randomUUID(),
      eventType: "session_event",
      timestamp: Date.now(),
      originatingService: "setup-e2e",
      sessionId: randomUUID(),
      details: { session_event_type: "idp_selected" },
    };
    const sqs = new SQSClient(sqsEngine);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: await queueUrl(sqs, queues.auditEvents),
        MessageBody: encryptLegacy(JSON.stringify(event), dataKey),
      }),
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await expect
        .poll(
          async () =>
            (
              await client
                .query("SELECT originating_service, event_type FROM audit.audit_events WHERE event_id = $1", [
                  event.eventId,
                ])
                .catch(() => ({ rows: [] }))
            ).rows,
          { timeout: 20_000, interval: 100 },
        )
        .toEqual([{ originating_service: "setup-e2e", event_type: "session_event" }]);
    } finally {
      await client.end();
    }
  });
});
