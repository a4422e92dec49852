export { type AppliedSetup, applySetup } from "./apply-setup.js";
export { cloudFormationTemplate } from "./cloudformation-template.js";
export {
  type DomainResourceOptions,
  domainQueueNames,
  domainResources,
  type SetupDomain,
} from "./domain-resources.js";
export { SetupDriftError } from "./errors.js";
export { planSetup, type SetupAction, type SetupStep } from "./plan-setup.js";
export {
  deadLetterQueueName,
  type QueueResource,
  type RuleResource,
  resourceLabel,
  type SecretResource,
  type SetupResource,
  type TableResource,
  type WebSocketApiResource,
} from "./resources.js";
export type { SetupClients } from "./setup-clients.js";
export { tableDrift } from "./table-drift.js";
export type { WebSocketApiEndpoint } from "./websocket-api.js";
