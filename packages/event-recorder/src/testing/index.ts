export { type EventSinkFixture, eventSinkConformance } from "./event-sink-conformance.js";
