import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import { loadManifest } from "../manifest/load-manifest.js";
import { selectServices } from "../manifest/select-services.js";
import type { SecretsProvider } from "../ports/secrets-provider.js";
import { ensureSecrets } from "../secrets/ensure-secrets.js";
import { createFileSecrets, localSecretsDir } from "../secrets/file-secrets.js";
import { publicJwks, readJwtKeySet, rotateJwtKeys } from "../secrets/jwt-keys.js";
import { secretsFor } from "../secrets/secret-specs.js";

export interface SecretsCommandOptions {
  readonly stage: string;
  readonly dryRun: boolean;
  readonly manifestPath?: string;
  readonly selectors: readonly string[];
  /** Secrets Manager, for third-party credentials (`--from-aws`). */
  readonly source?: SecretsProvider;
  readonly print: (line: string) => void;
}

export async function runSecretsCommand(
  action: string | undefined,
  options: SecretsCommandOptions,
): Promise<void> {
  const target = createFileSecrets({ dir: localSecretsDir(options.stage) });
  const dry = options.dryRun ? " (dry run: nothing written)" : "";
  if (action === "ensure") {
    const { manifest } = await loadManifest(options.manifestPath);
    const services = selectServices(manifest, options.selectors);
    const steps = await ensureSecrets({
      specs: secretsFor(services.flatMap((s) => s.domains)),
      target,
      ...(options.source ? { source: options.source } : {}),
      dryRun: options.dryRun,
      command: `portside secrets ensure --stage ${options.stage}${options.source ? " --from-aws" : ""}`,
    });
    options.print(`secrets for ${services.map((s) => s.name).join(", ")} in ${target.description}${dry}`);
    for (const step of steps) options.print(`  ${step.action.padEnd(8)} ${step.name}  ${step.detail}`);
    return;
  }
  if (action === "rotate-jwt") {
    const result = await rotateJwtKeys(target, { dryRun: options.dryRun });
    options.print(
      `signing key ${result.current} is current${result.previous ? `; ${result.previous} still verifies` : ""}${dry}`,
    );
    for (const kid of result.retired) options.print(`  retired ${kid}`);
    return;
  }
  if (action === "jwks") {
    options.print(JSON.stringify(publicJwks(await readJwtKeySet(target)), null, 2));
    return;
  }
  throw new ServiceKitError(
    ServiceKitErrorCode.invalidArguments,
    `portside secrets ${action ?? ""}: expected ensure, rotate-jwt or jwks`,
  );
}
