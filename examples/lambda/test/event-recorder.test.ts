import { randomBytes, randomUUID } from "node:crypto";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { encryptLegacy } from "@portside/event-recorder";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { awsClientConfig, createTestDatabase, type TestDatabase, uniqueName } from "#test-support";

const key = randomBytes(32);
const aws = awsClientConfig();
/** Read before the tests empty the environment the handler is given. */
const sqsConfig = awsClientConfig("sqs");
/** The handler reads its config from the environment, as in Lambda; restored after this file. */
const ENV_KEYS = [
  "DATABASE_URL",
  "EVENT_RECORDER_KEY",
  "EVENT_RECORDER_DLQ_URL",
  "EVENT_RECORDER_MIGRATE",
  "AWS_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_SQS",
  "LOG_LEVEL",
] as const;
const savedEnv: Record<string, string | undefined> = {};
let db: TestDatabase;

beforeAll(async () => {
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await db?.drop();
});

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "producer",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:events",
    awsRegion: "us-east-1",
  };
}

const body = (eventId: string) =>
  encryptLegacy(
    JSON.stringify({
      eventId,
      eventType: "session_event",
      timestamp: "2026-01-01T00:00:00Z",
      originatingService: "lambda-test",
      sessionId: "s",
      details: {},
    }),
    key,
  );

async function freshHandler(env: Record<string, string>) {
  vi.resetModules();
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, { LOG_LEVEL: "silent", EVENT_RECORDER_KEY: key.toString("base64"), ...env });
  return (await import("../src/event-recorder.js")).handler;
}

describe("event-recorder Lambda SQS handler", () => {
  it("records, deduplicates and quarantines, returning no batch item failures", async () => {
    const handler = await freshHandler({ DATABASE_URL: db.url });
    const id = randomUUID();
    const event: SQSEvent = {
      Records: [record("a", body(id)), record("b", body(id)), record("c", "garbage")],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const audit = await client.query(
        "SELECT count(*)::int AS n FROM audit.audit_events WHERE event_id = $1",
        [id],
      );
      expect(audit.rows[0].n).toBe(1);
      const quarantine = await client.query("SELECT message_id, reason FROM event_recorder.quarantine");
      expect(quarantine.rows).toEqual([{ message_id: "c", reason: "UNDECRYPTABLE" }]);
    } finally {
      await client.end();
    }
  });

  it("with the database down, names only the recordable messages for retry and sends poison to the DLQ", async () => {
    const sqs = new SQSClient(sqsConfig);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("recorder-dlq") }));
    const handler = await freshHandler({
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/down",
      EVENT_RECORDER_MIGRATE: "false",
      EVENT_RECORDER_DLQ_URL: QueueUrl!,
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsConfig.endpoint,
    });
    const response = await handler({
      Records: [record("x1", body(randomUUID())), record("x2", "garbage"), record("x3", body(randomUUID()))],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "x1" }, { itemIdentifier: "x3" }] });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((m) => [m.Body, m.MessageAttributes?.["quarantine-reason"]?.StringValue])).toEqual([
      ["garbage", "UNDECRYPTABLE"],
    ]);
  });
});
