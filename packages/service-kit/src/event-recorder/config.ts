import { z } from "zod";
import type { CommonConfig } from "../config/common-config.js";
import { flag, optionalText } from "../config/config-fields.js";

/** `id=base64,id2=base64` */
const keyList = optionalText.pipe(
  z
    .string()
    .regex(/^[^=,\s]+=[A-Za-z0-9+/=]+(,[^=,\s]+=[A-Za-z0-9+/=]+)*$/, "id=base64 pairs, comma-separated")
    .optional(),
);

/** The event recorder's config keys, the old service's names included. */
export const eventRecorderConfigSchema = z.object({
  /** PostgreSQL URL. With neither this nor DB_CONNECTION_STRING: an embedded PostgreSQL (PGlite). */
  DATABASE_URL: optionalText,
  /** libpq `host=... dbname=... user=... [port=...]` string, as the system we replace reads. */
  DB_CONNECTION_STRING: optionalText,
  /** Base64 KMS ciphertext of the database password. */
  ENCRYPTED_DATABASE_PASSWORD: optionalText,
  /**
   * RDS IAM auth tokens (host, port and user from the connection string). Default, as the
   * service this replaces did: on when DB_CONNECTION_STRING is set and no password is given
   * (no ENCRYPTED_DATABASE_PASSWORD, none in the string, no PGPASSWORD).
   */
  DB_IAM_AUTH: optionalText.pipe(z.enum(["true", "false"]).optional()),
  /** Apply the shipped migrations at start-up (they are idempotent and lock-safe). Default true. */
  EVENT_RECORDER_MIGRATE: optionalText
    .pipe(z.enum(["true", "false"]).optional())
    .transform((v) => v !== "false"),
  /** Directory for the embedded database's files; default: in memory. */
  EVENT_RECORDER_DATA_DIR: optionalText,
  /**
   * SQS queue producers send to. Without it, an in-process queue fed by `POST /events` (on AWS
   * Lambda, which runs no poller, `POST /events` records the body in the request).
   */
  EVENT_RECORDER_QUEUE_URL: optionalText.pipe(z.url().optional()),
  /** Dead-letter queue for poison messages; default: the quarantine table. */
  EVENT_RECORDER_DLQ_URL: optionalText.pipe(z.url().optional()),
  /** Legacy key, base64 (16, 24 or 32 bytes), for local use. */
  EVENT_RECORDER_KEY: optionalText,
  /** Legacy key as a base64 KMS ciphertext (decrypted once per process). */
  EVENT_RECORDER_ENCRYPTED_KEY: optionalText,
  /** Legacy key as an S3 object holding a base64 KMS ciphertext. */
  EVENT_RECORDER_KEY_BUCKET: optionalText,
  EVENT_RECORDER_KEY_OBJECT: optionalText,
  /** v2 keys by id, raw: `id=base64,...`. */
  EVENT_RECORDER_V2_KEYS: keyList,
  /** v2 keys by id, each a base64 KMS ciphertext: `id=base64,...`. */
  EVENT_RECORDER_ENCRYPTED_V2_KEYS: keyList,
  /** Key id new v2 messages are encrypted with. */
  EVENT_RECORDER_CURRENT_KEY_ID: optionalText,
  /** Messages per batch of the SQS poller (up to 10000). Default 1000. */
  EVENT_RECORDER_BATCH_SIZE: optionalText
    .transform((v) => (v === undefined ? 1000 : Number(v)))
    .pipe(z.number().int().min(1).max(10_000)),
  /** `true`: log the plaintext of messages that fail validation (may hold personal data). */
  EVENT_RECORDER_LOG_PLAINTEXT: flag,
  /** `true`: one JSON line per event on stdout (ids, type, status; details only with LOG_PLAINTEXT). */
  EVENT_RECORDER_EVENT_LOG: flag,
  // The names the service this replaces reads, so a deployed configuration keeps working.
  /** Old name of EVENT_RECORDER_ENCRYPTED_KEY: the legacy key as a base64 KMS ciphertext. */
  ENCRYPTION_KEY: optionalText,
  /** Old names of EVENT_RECORDER_KEY_BUCKET and EVENT_RECORDER_KEY_OBJECT. */
  DECRYPTION_KEY_BUCKET_NAME: optionalText,
  DECRYPTION_KEY_FILE_NAME: optionalText,
  /** Old name of EVENT_RECORDER_QUEUE_URL. */
  QUEUE_URL: optionalText.pipe(z.url().optional()),
  /** PGPASSWORD, which libpq reads. */
  PGPASSWORD: optionalText,
  /** SQS's own endpoint (a local SQS engine); AWS_ENDPOINT_URL when unset. */
  AWS_ENDPOINT_URL_SQS: optionalText.pipe(z.url().optional()),
});

/** The event recorder's config, with the shared keys. */
export type EventRecorderConfig = CommonConfig & z.infer<typeof eventRecorderConfigSchema>;
