export {
  type BusEvent,
  type BusSubscriber,
  createInProcessBus,
  type InProcessBus,
  type InProcessBusOptions,
} from "./in-process-bus.js";
