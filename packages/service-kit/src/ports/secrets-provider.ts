/**
 * Where secrets are read from. `get` answers `undefined` for a secret this provider does not
 * hold; it throws only when the provider itself cannot answer.
 */
export interface SecretsProvider {
  /** Names the provider in messages: `env`, `files (~/.config/portside/dev)`, `aws secrets manager`. */
  readonly description: string;
  /** A secret's value, or undefined. */
  get(name: string): Promise<string | undefined>;
  /** The value before the last rotation (Secrets Manager's `AWSPREVIOUS`), where the provider keeps one. */
  getPrevious?(name: string): Promise<string | undefined>;
  /** Stores a value; providers that cannot store (the environment) leave it out. */
  put?(name: string, value: string): Promise<void>;
}
