import {
  createProfileEventLambdaHandler,
  createProfileEventSqsLambdaHandler,
  type EventBridgeEnvelope,
  type SqsLambdaEvent,
} from "@portside/adapters-aws/profile-deps";
import { profileDepsComponents } from "./profile-deps-components.js";

/**
 * The validator, as an EventBridge rule target (`source: portside.profile-deps`,
 * `detail-type: ProfileChanged`): resolves the profile and publishes `ProfileValidated`.
 */
export async function handler(event: EventBridgeEnvelope) {
  const { validator } = await profileDepsComponents();
  return createProfileEventLambdaHandler({ validator })(event);
}

/** The same validator behind an SQS event source (a rule targeting a queue), with partial batch failures. */
export async function sqsHandler(event: SqsLambdaEvent) {
  const { validator } = await profileDepsComponents();
  return createProfileEventSqsLambdaHandler({ validator })(event);
}
