export {
  createSqsConsumer,
  type SqsBatchHandler,
  type SqsBatchResult,
  type SqsConsumer,
  type SqsConsumerOptions,
} from "./consumer.js";
export { SqsError, SqsErrorCode } from "./errors.js";
export type { SqsMessage } from "./message.js";
export {
  createSqsProducer,
  type OutgoingSqsMessage,
  type SqsProducer,
  type SqsProducerOptions,
} from "./producer.js";
