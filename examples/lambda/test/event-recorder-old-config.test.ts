import { randomBytes, randomUUID } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { encryptLegacy } from "@portside/event-recorder";
import type { SQSRecord } from "aws-lambda";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { existingServiceDatabase } from "../../../packages/event-recorder/test/pg/databases.js";

/**
 * The Lambda as a team that ran the old service has it configured: its variable names, a KMS
 * blob or an S3 object for the key, a libpq connection string with a KMS-encrypted password
 * (or none: IAM auth), and AWS_LAMBDA_FUNCTION_NAME as Lambda sets it.
 */
const OLD_AND_LAMBDA_KEYS = [
  "ENCRYPTION_KEY",
  "DECRYPTION_KEY_BUCKET_NAME",
  "DECRYPTION_KEY_FILE_NAME",
  "DB_CONNECTION_STRING",
  "ENCRYPTED_DATABASE_PASSWORD",
  "QUEUE_URL",
  "AWS_LAMBDA_FUNCTION_NAME",
  "DATABASE_URL",
  "EVENT_RECORDER_KEY",
  "LOG_LEVEL",
  "AWS_ENDPOINT_URL_SQS",
] as const;
const saved: Record<string, string | undefined> = {};
const aws = awsClientConfig("kms");
/** The SQS engine (read before the tests empty the environment the handler is given). */
const sqsConfig = awsClientConfig("sqs");
const kms = new KMSClient(aws);
const dataKey = randomBytes(32);
let kmsKeyId: string;
/** The old service's database (adopted once by its owner); the Lambda signs in as its writer role. */
let db: Awaited<ReturnType<typeof existingServiceDatabase>>;

const kmsEncrypt = async (plaintext: Uint8Array) => {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: kmsKeyId, Plaintext: plaintext }));
  return Buffer.from(CiphertextBlob!).toString("base64");
};

beforeAll(async () => {
  for (const k of OLD_AND_LAMBDA_KEYS) saved[k] = process.env[k];
  db = await existingServiceDatabase();
  kmsKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
});
afterAll(async () => {
  for (const k of OLD_AND_LAMBDA_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await db?.drop();
});

/** `host=... port=... dbname=... user=<writer>`, as the old service's DB_CONNECTION_STRING reads. */
const libpq = () => {
  const url = new URL(db.url);
  return `host=${url.hostname} port=${url.port} dbname=${url.pathname.slice(1)} user=${url.username}`;
};

async function lambdaWith(env: Record<string, string>) {
  vi.resetModules();
  for (const k of OLD_AND_LAMBDA_KEYS) delete process.env[k];
  Object.assign(process.env, { LOG_LEVEL: "silent", AWS_LAMBDA_FUNCTION_NAME: "event-recorder", ...env });
  return (await import("../src/event-recorder.js")).handler;
}

const record = (messageId: string, body: string) =>
  ({ messageId, body, attributes: { ApproximateReceiveCount: "1" } }) as unknown as SQSRecord;

const producerBody = (eventId: string) =>
  encryptLegacy(
    JSON.stringify({
      eventId,
      eventType: "error_event",
      timestamp: "2018-02-10 12:00:00",
      originatingService: "saml-engine",
      sessionId: null,
      details: { message: "boom" },
    }),
    dataKey,
  );

async function auditRow(eventId: string) {
  const client = new pg.Client({ connectionString: db.superuserUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT session_id, time_stamp::text AS time_stamp, event_type FROM audit.audit_events WHERE event_id = $1",
      [eventId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe("event-recorder Lambda with the old service's configuration", () => {
  it("records with ENCRYPTION_KEY (a KMS blob), DB_CONNECTION_STRING and ENCRYPTED_DATABASE_PASSWORD", async () => {
    const handler = await lambdaWith({
      ENCRYPTION_KEY: await kmsEncrypt(dataKey),
      DB_CONNECTION_STRING: libpq(),
      ENCRYPTED_DATABASE_PASSWORD: await kmsEncrypt(Buffer.from("the-password")),
      QUEUE_URL: "https://sqs.eu-west-2.amazonaws.com/000000000000/audit-events",
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.endpoint,
    });
    const id = randomUUID();
    expect(await handler({ Records: [record("m1", producerBody(id))] })).toEqual({ batchItemFailures: [] });
    expect(await auditRow(id)).toEqual([
      { session_id: null, time_stamp: "2018-02-10 12:00:00", event_type: "error_event" },
    ]);
  });

  it("records with the key in S3 (DECRYPTION_KEY_BUCKET_NAME + DECRYPTION_KEY_FILE_NAME), IAM auth without a password", async () => {
    const s3 = new S3Client({ ...awsClientConfig("s3"), forcePathStyle: true });
    const bucket = uniqueName("recorder-keys");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "event-key", Body: await kmsEncrypt(dataKey) }),
    );
    const handler = await lambdaWith({
      DECRYPTION_KEY_BUCKET_NAME: bucket,
      DECRYPTION_KEY_FILE_NAME: "event-key",
      DB_CONNECTION_STRING: libpq(),
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.endpoint,
    });
    const id = randomUUID();
    expect(await handler({ Records: [record("m2", producerBody(id))] })).toEqual({ batchItemFailures: [] });
    expect(await auditRow(id)).toHaveLength(1);
  });

  it("records a producer's message taken from the queue (QUEUE_URL) as the event source mapping hands it over", async () => {
    const sqs = new SQSClient(sqsConfig);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("audit-events") }));
    const handler = await lambdaWith({
      ENCRYPTION_KEY: await kmsEncrypt(dataKey),
      DB_CONNECTION_STRING: libpq(),
      QUEUE_URL: QueueUrl!,
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsConfig.endpoint,
    });
    const id = randomUUID();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: producerBody(id) }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }),
    );
    expect(Messages).toHaveLength(1);
    const response = await handler({
      Records: Messages.map((m) => record(m.MessageId!, m.Body!)),
    });
    expect(response).toEqual({ batchItemFailures: [] });
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    expect(await auditRow(id)).toHaveLength(1);
  });

  it("refuses to start on Lambda without a real database or with the demo key", async () => {
    const noDatabase = await lambdaWith({ ENCRYPTION_KEY: await kmsEncrypt(dataKey) });
    await expect(noDatabase({ Records: [] })).rejects.toThrow(
      /needs a database .*no demo mode on AWS Lambda/,
    );
    const nothing = await lambdaWith({});
    await expect(nothing({ Records: [] })).rejects.toThrow(/needs a database.*an event key/);
    const DEMO_KEY = Buffer.from("portside-demo-key-32-bytes-long!").toString("base64");
    const demoKey = await lambdaWith({ DB_CONNECTION_STRING: libpq(), EVENT_RECORDER_KEY: DEMO_KEY });
    await expect(demoKey({ Records: [] })).rejects.toThrow(/other than the public demo key/);
  });
});
