export {
  createEventRecorderHandler,
  createRecorderHttpHandler,
  type EventRecorderHandlerOptions,
  type RecorderHttpOptions,
} from "./handler.js";
