import { profileDepsResultsLambda } from "@portside/service-kit/profile-deps";

/**
 * The service side of the loop (`ProfileValidated`), behind its queue or as the rule's target:
 * applies each result to the revision it was computed for; stale results change nothing.
 */
export const handler = profileDepsResultsLambda();
