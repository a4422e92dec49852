export { EventBridgeErrorCode, EventPublishError, type FailedEventEntry } from "./errors.js";
export {
  batchEntries,
  createEventBridgePublisher,
  type EventBridgePublisher,
  type EventBridgePublisherOptions,
  type PublishableEvent,
} from "./publisher.js";
