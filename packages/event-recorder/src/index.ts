export {
  cachedKeySource,
  type KeyDecrypter,
  type KeySource,
  kmsEncryptedKey,
  type ObjectReader,
  objectEncryptedKey,
  rawKey,
} from "./crypto/key-source.js";
export { createKeyring, createKeys, type Keyring, type KeyringOptions, type Keys } from "./crypto/keyring.js";
export { decryptLegacy, encryptLegacy } from "./crypto/legacy.js";
export { decryptV2, encryptV2, V2_VERSION } from "./crypto/v2.js";
export { RecorderError, RecorderErrorCode, type RecorderIssue } from "./errors.js";
export {
  type AuditRow,
  type BillingRow,
  EventRoute,
  type FraudRow,
  parseEvent,
  type RoutedEvent,
  routeEvent,
} from "./event/routing.js";
export { type AuditEvent, type AuditEventInput, auditEventSchema, timestampSchema } from "./event/schema.js";
export { createSqsBatchHandler, type SqsBatchResponse, type SqsEventLike } from "./lambda/sqs-handler.js";
export { createMemoryEventSink, type MemoryEventSink } from "./memory/event-sink.js";
export { createMemoryQuarantineStore } from "./memory/quarantine-store.js";
export {
  createMemoryQueue,
  type MemoryQueue,
  type MemoryQueueOptions,
  type QueueBatchHandler,
} from "./memory/queue.js";
export {
  type CounterName,
  type Counters,
  createJsonLogger,
  type Logger,
  LogLevel,
  type Metrics,
  silentLogger,
} from "./observability.js";
export type {
  EventQuery,
  EventReader,
  EventSink,
  InboundMessage,
  Page,
  QuarantinedMessage,
  QuarantineEntry,
  QuarantineSink,
  QuarantineStore,
  SinkOutcome,
  StoredEvent,
} from "./ports.js";
export { QuarantineReason } from "./ports.js";
export {
  type BatchResult,
  createRecorder,
  type EventLogEntry,
  type MessageResult,
  MessageStatus,
  type Recorder,
  type RecorderOptions,
  type ReplayResult,
} from "./recorder.js";
