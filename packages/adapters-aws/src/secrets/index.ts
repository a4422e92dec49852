export { SecretsManagerError, SecretsManagerErrorCode } from "./errors.js";
export {
  createSecretsManagerSecrets,
  type SecretsManagerSecrets,
  type SecretsManagerSecretsOptions,
} from "./secrets-manager-secrets.js";
