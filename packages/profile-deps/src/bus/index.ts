export {
  type BusEvent,
  type BusSubscriber,
  createInProcessBus,
  type InProcessBus,
  type InProcessBusOptions,
} from "./in-process-bus.js";
export {
  createInProcessProfileDeps,
  type InProcessProfileDeps,
  type InProcessProfileDepsOptions,
} from "./in-process-profile-deps.js";
