import { MissingSecretError } from "../errors.js";
import type { SecretsProvider } from "../ports/secrets-provider.js";
import type { SecretSpec } from "./secret-spec.js";

/** What ensuring a secret does: keep it, generate it, copy it, or report it missing. */
export type SecretAction = "keep" | "generate" | "copy" | "missing";

/** One secret and what ensuring it does. */
export interface SecretPlanStep {
  readonly name: string;
  readonly action: SecretAction;
  readonly detail: string;
}

/** Options of `ensureSecrets`: which secrets, where they live and where credentials are copied from. */
export interface EnsureSecretsOptions {
  readonly specs: readonly SecretSpec[];
  /** Where the stage's secrets live (local files in dev); must be able to store. */
  readonly target: SecretsProvider;
  /** Where third-party credentials are copied from (AWS Secrets Manager). */
  readonly source?: SecretsProvider;
  readonly dryRun?: boolean;
  /** The command a person runs, for messages: `portside secrets ensure --stage dev`. */
  readonly command: string;
}

/**
 * Makes every secret exist in `target`, idempotently: present ones are kept, generated ones
 * made, third-party ones copied from `source`. Plans first; writes nothing when a third-party
 * secret is missing everywhere (the error names where to put it), or on a dry run.
 */
export async function ensureSecrets(options: EnsureSecretsOptions): Promise<SecretPlanStep[]> {
  const { specs, target, source } = options;
  const plan: (SecretPlanStep & { value?: string })[] = [];
  for (const spec of specs) {
    if ((await target.get(spec.name)) !== undefined) {
      plan.push({ name: spec.name, action: "keep", detail: `already in ${target.description}` });
    } else if (spec.kind === "generated" && spec.generate) {
      plan.push({ name: spec.name, action: "generate", detail: spec.description, value: spec.generate() });
    } else {
      const value = await source?.get(spec.name);
      plan.push(
        value === undefined
          ? { name: spec.name, action: "missing", detail: `not in ${source?.description ?? "any source"}` }
          : { name: spec.name, action: "copy", detail: `from ${source?.description}`, value },
      );
    }
  }
  const steps = plan.map(({ value: _value, ...step }) => step);
  const missing = plan.filter((s) => s.action === "missing");
  if (options.dryRun) return steps;
  if (missing.length > 0) {
    const [first] = missing;
    throw new MissingSecretError(
      first!.name,
      `store it in AWS Secrets Manager (aws secretsmanager create-secret --name <prefix>${first!.name} --secret-string ...), then run ${options.command}`,
      [target.description, source?.description ?? "no Secrets Manager configured"],
    );
  }
  if (!target.put) throw new TypeError(`${target.description} cannot store secrets`);
  for (const step of plan) if (step.value !== undefined) await target.put(step.name, step.value);
  return steps;
}

/** Reads a secret the service needs, or fails naming the command that creates it. */
export async function readSecret(
  provider: SecretsProvider,
  spec: SecretSpec,
  command: string,
): Promise<string> {
  const value = await provider.get(spec.name);
  if (value === undefined) throw new MissingSecretError(spec.name, command, [provider.description]);
  return value;
}

/** Fills each spec's config key from the provider, leaving keys the environment already sets. */
export async function secretsToEnv(
  provider: SecretsProvider,
  specs: readonly SecretSpec[],
  env: Record<string, string | undefined> = {},
): Promise<Record<string, string | undefined>> {
  const filled = { ...env };
  for (const spec of specs) {
    if (filled[spec.envName]) continue;
    const value = await provider.get(spec.name);
    if (value !== undefined) filled[spec.envName] = value;
  }
  return filled;
}
