import { randomBytes } from "node:crypto";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createSqsQuarantine } from "@portside/adapters-aws/event-recorder";
import { createKeyring, createRecorder, encryptLegacy, encryptV2, rawKey } from "@portside/event-recorder";
import { createPgEventSink, createPgPool, migrate } from "@portside/event-recorder/pg";
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { awsClientConfig, createTestDatabase, type TestDatabase, uniqueName } from "#test-support";
import { plainEvent } from "./events.js";

const sqs = new SQSClient(awsClientConfig("sqs"));
const legacyKey = randomBytes(16);
const rotated = randomBytes(32);
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

it("lists dead-lettered messages with their reason and replays them after a fix, re-quarantining what still fails", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("recorder-dlq") }));
  const quarantine = createSqsQuarantine({ client: sqs, queueUrl: QueueUrl! });
  const sink = createPgEventSink({ pool });
  const before = createRecorder({ keyring: createKeyring({ legacy: rawKey(legacyKey) }), sink, quarantine });
  const event = plainEvent();
  const newKeyBody = encryptV2(JSON.stringify(event), "2026", rotated);
  const stillBad = encryptLegacy("not json", legacyKey);
  await before.recordBatch([
    { id: "m-rotated", body: newKeyBody },
    { id: "m-bad", body: stillBad },
  ]);

  const listed = await quarantine.list();
  expect(listed.map((m) => [m.messageId, m.reason]).sort()).toEqual([
    ["m-bad", "NOT_JSON"],
    ["m-rotated", "UNDECRYPTABLE"],
  ]);
  expect(listed.find((m) => m.messageId === "m-rotated")?.body).toBe(newKeyBody);

  const after = createRecorder({
    keyring: createKeyring({ legacy: rawKey(legacyKey), keys: { "2026": rawKey(rotated) } }),
    sink,
    quarantine,
  });
  expect(await quarantine.replay(after)).toEqual({ replayed: 1, failed: 1, retried: 0 });
  const { rows } = await pool.query("SELECT event_id FROM audit.audit_events WHERE event_id = $1", [
    event.eventId,
  ]);
  expect(rows).toHaveLength(1);

  const left = await quarantine.list();
  expect(left.map((m) => [m.messageId, m.reason, m.body])).toEqual([["m-bad", "NOT_JSON", stillBad]]);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  expect(Attributes?.ApproximateNumberOfMessages).toBe("1");
});

it("dead-letters bodies SQS cannot carry (NUL, too large) as base64, so poison never loops", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("recorder-dlq") }));
  const quarantine = createSqsQuarantine({ client: sqs, queueUrl: QueueUrl! });
  const recorder = createRecorder({
    keyring: createKeyring({ legacy: rawKey(legacyKey) }),
    sink: createPgEventSink({ pool }),
    quarantine,
  });
  const nul = "not\u0000base64";
  const large = "x".repeat(300 * 1024);
  const { retryIds } = await recorder.recordBatch([
    { id: "m-nul", body: nul },
    { id: "m-large", body: large },
  ]);
  expect(retryIds).toEqual([]);
  const listed = await quarantine.list();
  const byId = new Map(listed.map((m) => [m.messageId, m]));
  expect(byId.get("m-nul")?.body).toBe(nul);
  expect(byId.get("m-large")?.body).toBe("x".repeat(160 * 1024));
  expect(byId.get("m-large")?.reason).toBe("UNDECRYPTABLE");
});
