import { randomBytes, randomUUID } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { encryptLegacy, encryptV2 } from "@portside/event-recorder";
import {
  composeEventRecorder as createEventRecorderService,
  type EventRecorderService,
} from "@portside/service-kit/event-recorder";
import { afterAll, describe, expect, it } from "vitest";
import { awsClientConfig, createTestDatabase, type TestDatabase, uniqueName } from "#test-support";
import { loadConfig } from "../src/config.js";
import { bearer, TEST_AUTH_SECRET } from "./support/bearer.js";

const services: EventRecorderService[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const s of services) await s.close?.();
  for (const d of databases) await d.drop();
});

async function start(env: Record<string, string>) {
  const service = await createEventRecorderService(loadConfig({ LOG_LEVEL: "silent", ...env }));
  services.push(service);
  await service.start?.();
  return service;
}

/** As an admin: reading events needs the role once tokens are required (outside the local demo). */
const call = async (service: EventRecorderService, path: string, init?: RequestInit) => {
  const headers = new Headers(init?.headers);
  headers.set("authorization", await bearer(["admin"]));
  const response = await service.handler(new Request(`http://demo.test${path}`, { ...init, headers }));
  return { status: response.status, body: await response.json() };
};

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const event = (overrides: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  eventType: "session_event",
  timestamp: Date.now(),
  originatingService: "test",
  sessionId: randomUUID(),
  details: { session_event_type: "idp_selected" },
  ...overrides,
});

describe("event-recorder service", () => {
  it("with no database configured, records a producer's body into embedded PostgreSQL (PGlite)", async () => {
    const service = await start({});
    expect(service.adapters).toMatchObject({
      mode: expect.stringMatching(/^DEMO: /),
      keys: expect.stringMatching(/^DEMO: /),
      database: expect.stringContaining("PGlite"),
      queue: "in-process",
    });
    const sample = await call(service, "/events/sample");
    const posted = await call(service, "/events", { method: "POST", body: sample.body.body });
    expect(posted.status).toBe(202);
    const stored = await eventually(async () => {
      const found = await call(service, `/events/${sample.body.event.eventId}`);
      return found.status === 200 ? found.body : undefined;
    });
    expect(stored).toMatchObject({ eventId: sample.body.event.eventId, originatingService: "demo-producer" });
    await call(service, "/events", { method: "POST", body: "bm90IGEgbWVzc2FnZQ==" });
    const quarantined = await eventually(async () => {
      const list = await call(service, "/quarantine");
      return list.body.items.length > 0 ? list.body.items : undefined;
    });
    expect(quarantined[0]).toMatchObject({ reason: "UNDECRYPTABLE" });
  }, 90_000);

  it("polls SQS into PostgreSQL with a KMS-held key and acknowledges duplicates and poison in Lambda SQS events", async () => {
    const aws = awsClientConfig();
    const kms = new KMSClient(aws);
    const sqsConfig = awsClientConfig("sqs");
    const sqs = new SQSClient(sqsConfig);
    const dataKey = randomBytes(32);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: dataKey }),
    );
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName("recorder-example") }),
    );
    const db = await createTestDatabase();
    databases.push(db);
    const v2Key = randomBytes(32);
    const service = await start({
      AUTH_JWT_SECRET: TEST_AUTH_SECRET,
      DATABASE_URL: db.url,
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsConfig.endpoint,
      EVENT_RECORDER_QUEUE_URL: QueueUrl!,
      EVENT_RECORDER_ENCRYPTED_KEY: Buffer.from(CiphertextBlob!).toString("base64"),
      EVENT_RECORDER_V2_KEYS: `2026=${v2Key.toString("base64")}`,
    });
    expect(service.adapters).toMatchObject({ keys: "kms", queue: expect.stringContaining("sqs:") });

    const viaQueue = event();
    await call(service, "/events", {
      method: "POST",
      body: encryptLegacy(JSON.stringify(viaQueue), dataKey),
    });
    await eventually(async () => {
      const found = await call(service, `/events/${viaQueue.eventId}`);
      return found.status === 200 ? true : undefined;
    });

    const viaLambda = event();
    const response = await service.handleSqsEvent({
      Records: [
        { messageId: "l1", body: encryptV2(JSON.stringify(viaLambda), "2026", v2Key) },
        { messageId: "l2", body: encryptLegacy(JSON.stringify(viaQueue), dataKey) },
        { messageId: "l3", body: "garbage" },
      ],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await call(service, `/events/${viaLambda.eventId}`)).status).toBe(200);
    expect(await (await call(service, "/events/counters")).body).toMatchObject({
      duplicates: 1,
      quarantined: 1,
    });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    expect(Messages).toHaveLength(0);
  });

  it("reads the old service's variable names, and signs IAM tokens when it gives no password", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const url = new URL(db.url);
    const queueUrl = "https://sqs.eu-west-2.amazonaws.com/000000000000/audit-events";
    const service = await start({
      DB_CONNECTION_STRING: `host=${url.hostname} port=${url.port} dbname=${url.pathname.slice(1)} user=postgres`,
      DECRYPTION_KEY_BUCKET_NAME: "keys",
      DECRYPTION_KEY_FILE_NAME: "event-key",
      QUEUE_URL: queueUrl,
      AWS_REGION: "eu-west-2",
    });
    expect(service.adapters).toMatchObject({
      keys: "s3:keys/event-key",
      queue: `sqs:${queueUrl}`,
      databasePassword: "rds-iam",
    });
    expect(service.adapters).not.toHaveProperty("mode");
  });

  it("refuses a deployment without a database or a real key; only an unconfigured start is the demo", async () => {
    await expect(
      createEventRecorderService(loadConfig({ EVENT_RECORDER_QUEUE_URL: "https://sqs.example/q" })),
    ).rejects.toThrow(/needs a database .* an event key/);
    await expect(
      createEventRecorderService(loadConfig({ EVENT_RECORDER_KEY: randomBytes(32).toString("base64") })),
    ).rejects.toThrow(/needs a database/);
  });

  it("refuses half an S3 key location, naming the keys", async () => {
    await expect(
      createEventRecorderService(loadConfig({ EVENT_RECORDER_KEY_BUCKET: "keys" })),
    ).rejects.toThrow(/EVENT_RECORDER_KEY_OBJECT/);
  });
});
