import { domainRoutes } from "../manifest/domains.js";
import type { DomainModule } from "../runtime/domain-module.js";
import { composeProfileDeps } from "./compose.js";
import { profileDepsConfigSchema } from "./config.js";
import { profileDepsSecrets } from "./secrets.js";

export { composeProfileDeps } from "./compose.js";
export { type ProfileDepsConfig, profileDepsConfigSchema } from "./config.js";
export { type ProfileEventLambda, profileDepsResultsLambda, profileDepsValidatorLambda } from "./lambda.js";
export { profileDepsSecrets } from "./secrets.js";

/** profile-deps as a domain of a service: `/profiles`, `/resolve`, `/packages`. */
export const profileDepsDomain: DomainModule<typeof profileDepsConfigSchema> = {
  name: "profile-deps",
  routes: domainRoutes["profile-deps"],
  configSchema: profileDepsConfigSchema,
  secrets: profileDepsSecrets,
  compose: composeProfileDeps,
};
