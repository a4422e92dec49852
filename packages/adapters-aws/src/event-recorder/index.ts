export { createRdsAuthTokenProvider, type RdsAuthTokenProviderOptions } from "./rds-auth-token.js";
export { createRecorderConsumer, type RecorderConsumerOptions } from "./recorder-consumer.js";
export { createSqsQuarantineSink, QuarantineAttribute, type SqsQuarantineOptions } from "./sqs-quarantine.js";
