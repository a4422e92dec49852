import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createRecorderConsumer } from "@portside/adapters-aws/event-recorder";
import { createSqsProducer } from "@portside/adapters-aws/sqs";
import { createKeyring, createRecorder, encryptLegacy, rawKey } from "@portside/event-recorder";
import {
  createPgEventSink,
  createPgPool,
  createPgQuarantineStore,
  migrate,
} from "@portside/event-recorder/pg";
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { billingEvent, plainEvent } from "./events.js";
import { startThrowawayPostgres } from "./throwaway-postgres.js";

const key = Buffer.alloc(16, 3);
const sqs = new SQSClient(awsClientConfig("sqs"));
let cluster: Awaited<ReturnType<typeof startThrowawayPostgres>>;
let pool: pg.Pool;

beforeAll(async () => {
  cluster = await startThrowawayPostgres();
  pool = createPgPool({ connectionString: cluster.url, connectionTimeoutMillis: 500 });
  await migrate(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.destroy();
});

const waitFor = async (check: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
};

const auditCount = async () =>
  Number((await pool.query("SELECT count(*) AS n FROM audit.audit_events")).rows[0].n);

it("loses nothing and doubles nothing when the database stops mid-stream and comes back", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("recorder-restart") }));
  const producer = createSqsProducer({ client: sqs, queueUrl: QueueUrl! });
  const events = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? billingEvent() : plainEvent()));
  const bodies = events.map((e) => encryptLegacy(JSON.stringify(e), key));
  const recorder = createRecorder({
    keyring: createKeyring({ legacy: rawKey(key) }),
    sink: createPgEventSink({ pool }),
    quarantine: createPgQuarantineStore({ pool }),
  });
  const consumer = createRecorderConsumer({
    client: sqs,
    queueUrl: QueueUrl!,
    recorder,
    batchSize: 20,
    batchWindowMs: 200,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 5,
    retryDelaySeconds: 1,
    onError: () => {},
  });
  consumer.start();
  try {
    await producer.send(bodies.slice(0, 150));
    await waitFor(async () => (await auditCount()) >= 60, 20_000);

    await cluster.stopServer();
    // Producers keep sending while the database is down, some of them twice.
    await producer.send(bodies.slice(150, 300));
    await producer.send(bodies.slice(140, 160));
    await waitFor(async () => recorder.counters().retried >= 20, 20_000);

    await cluster.startServer();
    await producer.send(bodies.slice(300));
    await waitFor(async () => (await auditCount().catch(() => 0)) >= events.length, 60_000);
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await consumer.stop();
  }

  const { rows } = await pool.query("SELECT event_id FROM audit.audit_events");
  expect(rows).toHaveLength(events.length);
  expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(events.map((e) => e.eventId)));
  const billing = await pool.query("SELECT count(*)::int AS n FROM billing.billing_events");
  expect(billing.rows[0].n).toBe(events.filter((_, i) => i % 4 === 0).length);
  expect((await pool.query("SELECT count(*)::int AS n FROM event_recorder.quarantine")).rows[0].n).toBe(0);
  const counters = recorder.counters();
  expect(counters.quarantined).toBe(0);
  expect(counters.retried).toBeGreaterThan(0);
  expect(counters.recorded).toBe(events.length);
}, 120_000);
