import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import {
  createRdsAuthTokenProvider,
  createRecorderConsumer,
  createSqsQuarantineSink,
} from "@portside/adapters-aws/event-recorder";
import { createKmsKeyDecrypter } from "@portside/adapters-aws/kms";
import { createS3ObjectReader } from "@portside/adapters-aws/s3";
import { createSqsProducer, type SqsConsumer } from "@portside/adapters-aws/sqs";
import {
  createJsonLogger,
  createKeyring,
  createMemoryQueue,
  createRecorder,
  createSqsBatchHandler,
  type EventLogEntry,
  encryptLegacy,
  type KeySource,
  kmsEncryptedKey,
  type MemoryQueue,
  objectEncryptedKey,
  type QuarantineSink,
  type Recorder,
  RecorderError,
  RecorderErrorCode,
  rawKey,
  type SqsBatchResponse,
  type SqsEventLike,
} from "@portside/event-recorder";
import { createEventRecorderHandler } from "@portside/event-recorder/http";
import {
  createPgEventReader,
  createPgEventSink,
  createPgPool,
  createPgQuarantineStore,
  kmsEncryptedPassword,
  migrate,
  type PasswordProvider,
  parseConnectionString,
} from "@portside/event-recorder/pg";
import { createServiceAuth } from "../auth/service-auth.js";
import { awsClientConfig } from "../config/common-config.js";
import { InvalidConfigError } from "../errors.js";
import { domainRoutes } from "../manifest/domains.js";
import type { ComposedDomain } from "../runtime/domain-module.js";
import type { EventRecorderConfig } from "./config.js";

/**
 * The legacy key the local demo (`npm start` with nothing configured) uses, so it can encrypt
 * as a producer would (`GET /events/sample` returns a ready-made body). Refused anywhere else.
 */
export const DEMO_KEY = Buffer.from("portside-demo-key-32-bytes-long!").toString("base64");

/** The composed recorder, with what the Lambda SQS handler needs beside the HTTP handler. */
export interface EventRecorderService extends ComposedDomain {
  recorder: Recorder;
  /** The SQS event source mapping's handler: records the batch, answering the messages to retry. */
  handleSqsEvent(event: SqsEventLike): Promise<SqsBatchResponse>;
}

function pairs(list: string | undefined): [string, string][] {
  return (list ?? "")
    .split(",")
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)];
    });
}

async function embeddedDatabase(dataDir: string | undefined) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db: PGlite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const server: PGLiteSocketServer = new PGLiteSocketServer({
    db,
    port: 0,
    host: "127.0.0.1",
    maxConnections: 8,
  });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** Our names, else the old service's. */
function settings(config: EventRecorderConfig) {
  return {
    encryptedKey: config.EVENT_RECORDER_ENCRYPTED_KEY ?? config.ENCRYPTION_KEY,
    keyBucket: config.EVENT_RECORDER_KEY_BUCKET ?? config.DECRYPTION_KEY_BUCKET_NAME,
    keyObject: config.EVENT_RECORDER_KEY_OBJECT ?? config.DECRYPTION_KEY_FILE_NAME,
    queueUrl: config.EVENT_RECORDER_QUEUE_URL ?? config.QUEUE_URL,
    connectionString: config.DB_CONNECTION_STRING ?? config.DATABASE_URL,
  };
}

/**
 * Records one body as the queue's consumer would, answering its message id once it is stored
 * (or quarantined: the producer's part is done); a transient failure is the caller's to retry.
 */
async function recordNow(recorder: Recorder, body: string): Promise<string> {
  const id = crypto.randomUUID();
  const [result] = (await recorder.recordBatch([{ id, body }])).results;
  if (result?.status === "retry") {
    throw new RecorderError(
      RecorderErrorCode.sinkUnavailable,
      `The event could not be recorded now; send it again (${result.reason ?? "unknown"})`,
    );
  }
  return id;
}

/**
 * The demo (embedded database, public key) runs only when nothing at all is configured and not
 * on Lambda. Anything else is a deployment: it needs a real database and a real key, or it
 * does not start.
 */
function checkDeployment(config: EventRecorderConfig, hasKey: boolean): { demo: boolean } {
  const { connectionString, queueUrl } = settings(config);
  const onLambda = config.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  if (!onLambda && !connectionString && !hasKey && !queueUrl) return { demo: true };
  const missing: string[] = [];
  const keys: string[] = [];
  if (!connectionString) {
    missing.push("a database (DB_CONNECTION_STRING or DATABASE_URL)");
    keys.push("DB_CONNECTION_STRING");
  }
  if (!hasKey) {
    missing.push(
      "an event key (ENCRYPTION_KEY, DECRYPTION_KEY_BUCKET_NAME + DECRYPTION_KEY_FILE_NAME, or EVENT_RECORDER_*KEY*)",
    );
    keys.push("ENCRYPTION_KEY");
  }
  if (
    config.EVENT_RECORDER_KEY === DEMO_KEY ||
    pairs(config.EVENT_RECORDER_V2_KEYS).some(([, k]) => k === DEMO_KEY)
  ) {
    missing.push("a key other than the public demo key");
    keys.push(config.EVENT_RECORDER_KEY === DEMO_KEY ? "EVENT_RECORDER_KEY" : "EVENT_RECORDER_V2_KEYS");
  }
  if (missing.length > 0) {
    throw new InvalidConfigError([
      {
        key: keys.join(", "),
        message: `the event recorder needs ${missing.join(", ")}${onLambda ? " (there is no demo mode on AWS Lambda)" : ""}`,
      },
    ]);
  }
  return { demo: false };
}

/**
 * The event recorder on a real database and key (SQS when a queue is configured), or the local
 * demo when nothing at all is configured: an embedded PostgreSQL and the public demo key, loudly.
 * `POST /events` sends to the queue; without one, to an in-process queue the host's `start()`
 * drains, except on AWS Lambda (which never calls `start()`): there it records the body in the
 * request and answers 202 only once it is stored, 503 when it could not be (send it again).
 */
export async function composeEventRecorder(config: EventRecorderConfig): Promise<EventRecorderService> {
  const { encryptedKey, keyBucket, keyObject, queueUrl } = settings(config);
  if ((keyBucket === undefined) !== (keyObject === undefined)) {
    throw new InvalidConfigError([
      {
        key: keyBucket === undefined ? "EVENT_RECORDER_KEY_BUCKET" : "EVENT_RECORDER_KEY_OBJECT",
        message:
          "EVENT_RECORDER_KEY_BUCKET and EVENT_RECORDER_KEY_OBJECT (or DECRYPTION_KEY_BUCKET_NAME and DECRYPTION_KEY_FILE_NAME) go together",
      },
    ]);
  }
  const logger = createJsonLogger({
    level: config.LOG_LEVEL,
    base: { service: "event-recorder" },
    write: (line) => process.stderr.write(`${line}\n`),
  });
  const aws = awsClientConfig(config);
  const adapters: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  let kms: KMSClient | undefined;
  const decrypter = () => {
    kms ??= new KMSClient(aws);
    return createKmsKeyDecrypter({ client: kms });
  };

  // Keys: KMS env var, then S3 object, then a raw key; the demo key only in the demo.
  let legacy: KeySource | undefined;
  let sampleKey: string | undefined;
  if (encryptedKey) {
    legacy = kmsEncryptedKey({ ciphertext: encryptedKey, decrypter: decrypter() });
    adapters.keys = "kms";
  } else if (keyBucket && keyObject) {
    const reader = createS3ObjectReader({
      client: new S3Client({ ...aws, forcePathStyle: Boolean(config.AWS_ENDPOINT_URL) }),
      bucket: keyBucket,
      key: keyObject,
    });
    legacy = objectEncryptedKey({ reader, decrypter: decrypter() });
    adapters.keys = `s3:${keyBucket}/${keyObject}`;
  } else if (config.EVENT_RECORDER_KEY) {
    legacy = rawKey(config.EVENT_RECORDER_KEY);
    sampleKey = config.EVENT_RECORDER_KEY;
    adapters.keys = "raw";
  }
  const v2: Record<string, KeySource> = {};
  for (const [id, key] of pairs(config.EVENT_RECORDER_V2_KEYS)) v2[id] = rawKey(key);
  for (const [id, ciphertext] of pairs(config.EVENT_RECORDER_ENCRYPTED_V2_KEYS)) {
    v2[id] = kmsEncryptedKey({ ciphertext, decrypter: decrypter() });
  }
  const { demo } = checkDeployment(config, legacy !== undefined || Object.keys(v2).length > 0);
  if (demo) {
    legacy = rawKey(DEMO_KEY);
    sampleKey = DEMO_KEY;
    adapters.keys = "DEMO: the public demo key";
    adapters.mode = "DEMO: embedded database and public key; events are not kept safe";
    logger.warn(
      "THIS IS THE LOCAL DEMO: events are encrypted with a public key and kept in an embedded database. Configure DB_CONNECTION_STRING and ENCRYPTION_KEY (or the EVENT_RECORDER_* keys) for real use.",
      { key: DEMO_KEY },
    );
  }
  const keyring = createKeyring({
    ...(legacy ? { legacy } : {}),
    keys: v2,
    ...(config.EVENT_RECORDER_CURRENT_KEY_ID ? { currentKeyId: config.EVENT_RECORDER_CURRENT_KEY_ID } : {}),
  });

  try {
    // Database: a server, or (the demo only) PGlite served over the wire protocol.
    let { connectionString } = settings(config);
    if (!connectionString) {
      const embedded = await embeddedDatabase(config.EVENT_RECORDER_DATA_DIR);
      closers.push(embedded.close);
      connectionString = embedded.url;
      adapters.database = `embedded PostgreSQL (PGlite${config.EVENT_RECORDER_DATA_DIR ? ` in ${config.EVENT_RECORDER_DATA_DIR}` : ", in memory"})`;
    } else {
      const { host, port, database } = parseConnectionString(connectionString);
      adapters.database = `postgresql://${host ?? "localhost"}:${port ?? 5432}/${database ?? ""}`;
    }
    let password: PasswordProvider | undefined;
    const given = parseConnectionString(connectionString);
    const iamByDefault =
      config.DB_CONNECTION_STRING !== undefined &&
      !config.ENCRYPTED_DATABASE_PASSWORD &&
      !given.password &&
      !config.PGPASSWORD;
    if (config.ENCRYPTED_DATABASE_PASSWORD) {
      password = kmsEncryptedPassword({
        ciphertext: config.ENCRYPTED_DATABASE_PASSWORD,
        decrypter: decrypter(),
      });
      adapters.databasePassword = "kms";
    } else if (config.DB_IAM_AUTH === "true" || (config.DB_IAM_AUTH === undefined && iamByDefault)) {
      password = createRdsAuthTokenProvider({
        hostname: given.host ?? "localhost",
        port: given.port ?? 5432,
        username: given.user ?? "postgres",
        ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
      });
      adapters.databasePassword = "rds-iam";
    } else if (config.PGPASSWORD) {
      const fromEnvironment = config.PGPASSWORD;
      password = () => fromEnvironment;
    }
    const pool = createPgPool({ connectionString, ...(password ? { password } : {}), logger });
    closers.unshift(() => pool.end());
    if (config.EVENT_RECORDER_MIGRATE) await migrate(pool);

    const table = createPgQuarantineStore({ pool });
    let quarantine: QuarantineSink = table;
    const sqs = new SQSClient(
      awsClientConfig(config, config.AWS_ENDPOINT_URL_SQS ?? config.AWS_ENDPOINT_URL),
    );
    if (config.EVENT_RECORDER_DLQ_URL) {
      quarantine = createSqsQuarantineSink({ client: sqs, queueUrl: config.EVENT_RECORDER_DLQ_URL });
      adapters.quarantine = `sqs:${config.EVENT_RECORDER_DLQ_URL}`;
    } else {
      adapters.quarantine = "table event_recorder.quarantine";
    }
    const recorder = createRecorder({
      keyring,
      sink: createPgEventSink({ pool, logger }),
      quarantine,
      logger,
      logPlaintext: config.EVENT_RECORDER_LOG_PLAINTEXT,
      ...(config.EVENT_RECORDER_EVENT_LOG
        ? { eventLog: (entry: EventLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`) }
        : {}),
    });

    let submit: (body: string) => Promise<string> | string;
    let start: () => Promise<void>;
    let stop: () => Promise<void>;
    if (queueUrl) {
      const producer = createSqsProducer({ client: sqs, queueUrl });
      submit = async (body) => (await producer.send(body))[0]!;
      let consumer: SqsConsumer | undefined;
      start = async () => {
        consumer ??= createRecorderConsumer({
          client: sqs,
          queueUrl,
          recorder,
          batchSize: config.EVENT_RECORDER_BATCH_SIZE,
          onError: (error) => logger.error("sqs poller", { code: error.code, error: error.message }),
        });
        consumer.start();
      };
      stop = async () => consumer?.stop();
      adapters.queue = `sqs:${queueUrl}`;
    } else if (config.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
      // Lambda never calls start(), so an in-process queue would hold an answered event until the instance dies.
      submit = (body) => recordNow(recorder, body);
      start = async () => {};
      stop = async () => {};
      adapters.queue = "none: POST /events records in the request (AWS Lambda)";
    } else {
      const queue: MemoryQueue = createMemoryQueue({ batchSize: config.EVENT_RECORDER_BATCH_SIZE });
      submit = (body) => queue.send(body);
      start = async () => queue.start((messages) => recorder.recordBatch(messages));
      stop = () => queue.stop();
      adapters.queue = "in-process";
    }

    // Events come back decrypted: reads and the quarantine need `admin`; submitting needs any caller with a token.
    const auth = createServiceAuth(config, {
      service: "event-recorder",
      embedded: demo,
      demoRoles: ["admin"],
    });
    adapters.auth = auth.label;
    const http = createEventRecorderHandler({
      authenticate: auth.authenticate,
      submit,
      reader: createPgEventReader({ pool }),
      quarantine: table,
      recorder,
    });
    const handleSqsEvent = createSqsBatchHandler(recorder);
    return {
      name: "event-recorder",
      routes: domainRoutes["event-recorder"],
      adapters,
      recorder,
      handleSqsEvent,
      async handler(request) {
        const url = new URL(request.url);
        if (url.pathname === "/events/sample" && request.method === "GET" && sampleKey) {
          // A body as a producer would send it, to POST back to /events.
          const event = {
            eventId: crypto.randomUUID(),
            eventType: "session_event",
            timestamp: Date.now(),
            originatingService: "demo-producer",
            sessionId: crypto.randomUUID(),
            details: { session_event_type: "idp_selected", idp_entity_id: "https://idp.example" },
          };
          return Response.json({
            event,
            body: encryptLegacy(JSON.stringify(event), Buffer.from(sampleKey, "base64")),
          });
        }
        return http(request);
      },
      start,
      async close() {
        await stop();
        for (const close of closers) await close().catch(() => {});
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}
