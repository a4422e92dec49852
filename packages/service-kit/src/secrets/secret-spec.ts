/**
 * A secret a domain needs. `generated` secrets are made locally by `portside secrets ensure`;
 * `third-party` ones (credentials someone else issues) are copied from AWS Secrets Manager.
 */
export interface SecretSpec {
  readonly name: string;
  /** The config key the host reads it from. */
  readonly envName: string;
  readonly kind: "generated" | "third-party";
  readonly description: string;
  /** Makes a new value of a generated secret. */
  readonly generate?: () => string;
}
