import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import {
  createRecorderConsumer,
  createSqsQuarantineSink,
  QuarantineAttribute,
} from "@portside/adapters-aws/event-recorder";
import { createSqsProducer } from "@portside/adapters-aws/sqs";
import { createKeyring, createRecorder, encryptLegacy, encryptV2, rawKey } from "@portside/event-recorder";
import { createPgEventSink, createPgPool, migrate } from "@portside/event-recorder/pg";
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { awsClientConfig, createTestDatabase, type TestDatabase, uniqueName } from "#test-support";
import { billingEvent, plainEvent } from "./events.js";

const sqs = new SQSClient(awsClientConfig("sqs"));
const legacyKey = Buffer.alloc(32, 1);
const v2Key = Buffer.alloc(32, 2);
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool({ connectionString: db.url });
  await migrate(pool);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const createQueue = async (prefix: string) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix) }))).QueueUrl!;

it("polls SQS into PostgreSQL, moving poison to the dead-letter queue with its reason and emptying the queue", async () => {
  const queueUrl = await createQueue("recorder-source");
  const dlqUrl = await createQueue("recorder-dlq");
  const good = Array.from({ length: 45 }, (_, i) => (i % 3 ? plainEvent() : billingEvent()));
  await createSqsProducer({ client: sqs, queueUrl }).send([
    ...good.map((e, i) =>
      i % 2 ? encryptLegacy(JSON.stringify(e), legacyKey) : encryptV2(JSON.stringify(e), "v2", v2Key),
    ),
    encryptLegacy(JSON.stringify(good[0]), legacyKey),
    "garbage",
  ]);
  const recorder = createRecorder({
    keyring: createKeyring({ legacy: rawKey(legacyKey), keys: { v2: rawKey(v2Key) } }),
    sink: createPgEventSink({ pool }),
    quarantine: createSqsQuarantineSink({ client: sqs, queueUrl: dlqUrl }),
  });
  const consumer = createRecorderConsumer({
    client: sqs,
    queueUrl,
    recorder,
    waitTimeSeconds: 1,
    batchWindowMs: 300,
  });
  consumer.start();
  // SQS delivers at least once: wait for every event and the poison, however often they arrive.
  const deadline = Date.now() + 30_000;
  const settled = () => recorder.counters().recorded >= 45 && recorder.counters().quarantined >= 1;
  while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.stop();

  const counters = recorder.counters();
  expect(counters).toMatchObject({ recorded: 45, retried: 0 });
  expect(counters.duplicates).toBeGreaterThanOrEqual(1);
  expect(counters.received).toBe(counters.recorded + counters.duplicates + counters.quarantined);
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM audit.audit_events");
  expect(rows[0].n).toBe(45);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  expect(Attributes).toMatchObject({
    ApproximateNumberOfMessages: "0",
    ApproximateNumberOfMessagesNotVisible: "0",
  });
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }),
  );
  expect(Messages).toHaveLength(1);
  expect(Messages[0]!.Body).toBe("garbage");
  expect(Messages[0]!.MessageAttributes?.[QuarantineAttribute.reason]?.StringValue).toBe("UNDECRYPTABLE");
  expect(Messages[0]!.MessageAttributes?.[QuarantineAttribute.messageId]?.StringValue).toBeTruthy();
});
