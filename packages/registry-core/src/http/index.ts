export { REGISTRY_STATUS, registryErrors } from "./error-statuses.js";
export {
  createRegistryHandler,
  createRegistryHttpHandler,
  type RegistryHandlerOptions,
  type RegistryHttpOptions,
} from "./handler.js";
export { type JwtAuthenticatorOptions, jwtAuthenticator } from "./jwt-authenticator.js";
