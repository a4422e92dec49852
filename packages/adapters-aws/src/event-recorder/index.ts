export { createRdsAuthTokenProvider, type RdsAuthTokenProviderOptions } from "./rds-auth-token.js";
export { createRecorderConsumer, type RecorderConsumerOptions } from "./recorder-consumer.js";
export {
  createSqsQuarantine,
  createSqsQuarantineSink,
  QuarantineAttribute,
  type SqsQuarantine,
  type SqsQuarantinedMessage,
  type SqsQuarantineOptions,
  type SqsReplayResult,
} from "./sqs-quarantine.js";
