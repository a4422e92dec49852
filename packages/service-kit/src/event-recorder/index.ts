import { domainRoutes } from "../manifest/domains.js";
import type { DomainModule } from "../runtime/domain-module.js";
import { composeEventRecorder, type EventRecorderService } from "./compose.js";
import { eventRecorderConfigSchema } from "./config.js";
import { eventRecorderSecrets } from "./secrets.js";

export { composeEventRecorder, DEMO_KEY, type EventRecorderService } from "./compose.js";
export { type EventRecorderConfig, eventRecorderConfigSchema } from "./config.js";
export { eventRecorderSqsLambda } from "./lambda.js";
export { eventRecorderSecrets } from "./secrets.js";

/** The event recorder as a domain of a service: `/events`, `/quarantine`, and its SQS poller. */
export const eventRecorderDomain: DomainModule<typeof eventRecorderConfigSchema, EventRecorderService> = {
  name: "event-recorder",
  routes: domainRoutes["event-recorder"],
  configSchema: eventRecorderConfigSchema,
  secrets: eventRecorderSecrets,
  compose: composeEventRecorder,
};
