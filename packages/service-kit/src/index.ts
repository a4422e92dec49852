export { createServiceAuth, type ServiceAuth, type ServiceAuthOptions } from "./auth/service-auth.js";
export { type CommonConfig, commonConfigSchema, dynamoDbEndpoint } from "./config/common-config.js";
export { parseConfig } from "./config/load-config.js";
export {
  type ConfigIssue,
  InvalidConfigError,
  InvalidManifestError,
  type ManifestIssue,
  MissingSecretError,
  ServiceKitError,
  ServiceKitErrorCode,
  type ServiceKitErrorOptions,
} from "./errors.js";
export { fillInMarker } from "./generator/domain-templates.js";
export {
  type FillIn,
  type NewServicePlan,
  type PlanNewServiceOptions,
  type PlannedFile,
  planNewService,
  writeNewService,
} from "./generator/generate-service.js";
export { type DerivedNames, deriveNames, serviceId } from "./manifest/derived-names.js";
export { type Domain, domainPackages, domainRoutes, domains } from "./manifest/domains.js";
export {
  findManifest,
  type LoadedManifest,
  loadManifest,
  manifestFileNames,
} from "./manifest/load-manifest.js";
export { parseManifest } from "./manifest/parse-manifest.js";
export {
  type Manifest,
  type ManifestInput,
  manifestSchema,
  type ServiceEntry,
  type ServiceEntryInput,
  serviceEntrySchema,
  serviceNameSchema,
} from "./manifest/schema.js";
export { selectServices } from "./manifest/select-services.js";
export type { SecretsProvider } from "./ports/secrets-provider.js";
export { composeDomains } from "./runtime/compose-domains.js";
export {
  type ComposedServiceHandle,
  type ComposeServiceOptions,
  composeService,
} from "./runtime/compose-service.js";
export type { AnyDomainModule, ComposedDomain, DomainModule } from "./runtime/domain-module.js";
export { fetchHandlerToLambda, type HttpEventV2, type HttpResultV2 } from "./runtime/lambda-adapter.js";
export { oncePerInstance } from "./runtime/once-per-instance.js";
export { parseDomainConfig, serviceConfigSchema } from "./runtime/service-config.js";
export { createServiceRouter, type MountedDomain } from "./runtime/service-router.js";
export { createChainedSecrets } from "./secrets/chained-secrets.js";
export {
  type EnsureSecretsOptions,
  ensureSecrets,
  readSecret,
  type SecretAction,
  type SecretPlanStep,
  secretsToEnv,
} from "./secrets/ensure-secrets.js";
export { createEnvSecrets, secretEnvName } from "./secrets/env-secrets.js";
export { createFileSecrets, localSecretsDir } from "./secrets/file-secrets.js";
export {
  type JwtKeySet,
  jwtAlgorithm,
  jwtKeySetSecret,
  publicJwks,
  readJwtKeySet,
  rotateJwtKeys,
} from "./secrets/jwt-keys.js";
export type { SecretSpec } from "./secrets/secret-spec.js";
export { domainSecrets, secretsFor } from "./secrets/secret-specs.js";
export { secretsManagerSecrets } from "./secrets/secrets-manager-source.js";
export { stageSecrets } from "./secrets/stage-secrets.js";
