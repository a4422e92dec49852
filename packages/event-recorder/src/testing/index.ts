export { type EventSinkFixture, eventSinkConformance } from "./event-sink-conformance.js";
export {
  describeQuarantineStoreConformance,
  type QuarantineStoreConformanceOptions,
} from "./quarantine-conformance.js";
