import {
  createProfileEventLambdaHandler,
  createProfileEventSqsLambdaHandler,
  type EventBridgeEnvelope,
  type SqsLambdaEvent,
} from "@portside/adapters-aws/profile-deps";
import { profileDepsComponents } from "./profile-deps-components.js";

/**
 * The service side of the loop, as an EventBridge rule target (`detail-type: ProfileValidated`):
 * applies each result to the revision it was computed for; stale results change nothing.
 */
export async function handler(event: EventBridgeEnvelope) {
  const { service } = await profileDepsComponents();
  return createProfileEventLambdaHandler({ service })(event);
}

/** The same behind an SQS event source, with partial batch failures. */
export async function sqsHandler(event: SqsLambdaEvent) {
  const { service } = await profileDepsComponents();
  return createProfileEventSqsLambdaHandler({ service })(event);
}
