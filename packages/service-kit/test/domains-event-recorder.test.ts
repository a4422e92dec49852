import { randomBytes, randomUUID } from "node:crypto";
import { encryptLegacy } from "@portside/event-recorder";
import {
  composeEventRecorder,
  type EventRecorderService,
  eventRecorderConfigSchema,
  eventRecorderSqsLambda,
} from "@portside/service-kit/event-recorder";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "#test-support";
import { InvalidConfigError } from "../src/errors.js";
import { parseDomainConfig } from "../src/runtime/service-config.js";

const AUTH_SECRET = "kit-recorder-test-auth-secret-0123456789";
const key = randomBytes(32);
let db: TestDatabase;
const composed: EventRecorderService[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const service of composed) await service.close?.();
  await db?.drop();
});

/** The recorder as a Lambda function is configured: no queue URL, AWS_LAMBDA_FUNCTION_NAME set. */
const lambdaEnv = () => ({
  LOG_LEVEL: "silent",
  AWS_LAMBDA_FUNCTION_NAME: "event-recorder-http",
  DATABASE_URL: db.url,
  EVENT_RECORDER_KEY: key.toString("base64"),
  AUTH_JWT_SECRET: AUTH_SECRET,
});

const config = (env: Record<string, string>) =>
  parseDomainConfig({ configSchema: eventRecorderConfigSchema }, { LOG_LEVEL: "silent", ...env });

const producerBody = (eventId: string) =>
  encryptLegacy(
    JSON.stringify({
      eventId,
      eventType: "session_event",
      timestamp: Date.now(),
      originatingService: "kit-test",
      sessionId: randomUUID(),
      details: { session_event_type: "idp_selected" },
    }),
    key,
  );

async function adminCall(service: EventRecorderService, path: string, init: RequestInit = {}) {
  const token = await new SignJWT({ roles: ["admin"] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("tester")
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(AUTH_SECRET));
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  const response = await service.handler(new Request(`https://recorder.test${path}`, { ...init, headers }));
  return { status: response.status, body: await response.json() };
}

describe("event-recorder on Lambda without a queue URL", () => {
  it("records POST /events in the request: the 202 means stored, with no start() (Lambda never calls it)", async () => {
    const service = await composeEventRecorder(config(lambdaEnv()));
    composed.push(service);
    const eventId = randomUUID();
    const posted = await adminCall(service, "/events", { method: "POST", body: producerBody(eventId) });
    expect(posted.status).toBe(202);
    expect(posted.body.messageId).toEqual(expect.any(String));
    const stored = await adminCall(service, `/events/${eventId}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ eventId, originatingService: "kit-test" });
    expect(service.adapters.queue).toMatch(/^none: POST \/events records in the request/);

    // Poison is the recorder's to quarantine, as the queue's consumer would: the producer's part is done.
    const poison = await adminCall(service, "/events", { method: "POST", body: "bm90IGEgbWVzc2FnZQ==" });
    expect(poison.status).toBe(202);
    const quarantine = await adminCall(service, "/quarantine");
    expect(quarantine.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: "UNDECRYPTABLE" })]),
    );
  });

  it("the SQS function records a batch without a queue URL", async () => {
    const handler = eventRecorderSqsLambda(lambdaEnv());
    const eventId = randomUUID();
    expect(await handler({ Records: [{ messageId: "m1", body: producerBody(eventId) }] })).toEqual({
      batchItemFailures: [],
    });
    const service = await composeEventRecorder(config(lambdaEnv()));
    composed.push(service);
    expect((await adminCall(service, `/events/${eventId}`)).status).toBe(200);
  });
});

describe("event-recorder's configuration errors are InvalidConfigError, naming the keys", () => {
  it("a deployment without a database or key, with the words hosts and tests know", async () => {
    const error = await composeEventRecorder(config({ AWS_LAMBDA_FUNCTION_NAME: "event-recorder" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).issues[0]!.key).toBe("DB_CONNECTION_STRING, ENCRYPTION_KEY");
    expect((error as Error).message).toMatch(/needs a database .* an event key .*no demo mode on AWS Lambda/);
  });

  it("half an S3 key location", async () => {
    const error = await composeEventRecorder(config({ EVENT_RECORDER_KEY_BUCKET: "keys" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).issues.map((i) => i.key)).toEqual(["EVENT_RECORDER_KEY_OBJECT"]);
    expect((error as Error).message).toMatch(/go together/);
  });
});
