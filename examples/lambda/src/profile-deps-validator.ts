import { profileDepsValidatorLambda } from "@portside/service-kit/profile-deps";

/**
 * The validator (`ProfileChanged`): behind the queue `portside setup` creates (an SQS event
 * source with partial batch failures) or as the EventBridge rule's target; resolves the profile
 * and publishes `ProfileValidated`.
 */
export const handler = profileDepsValidatorLambda();
