export { type CapturingLogger, createCapturingLogger, type LogEntry } from "./capture-logger.js";
export {
  type BodyRoute,
  describeHttpConformance,
  type HttpConformanceOptions,
  type HttpConformanceTarget,
} from "./http-conformance.js";
export { type ClientResponse, type SendOptions, send } from "./node-client.js";
