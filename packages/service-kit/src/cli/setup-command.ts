import type { SetupClients, SetupResource, SetupStep } from "@portside/adapters-aws/setup";
import type { Manifest, ServiceEntry } from "../manifest/schema.js";
import { secretsFor } from "../secrets/secret-specs.js";

type SetupModule = typeof import("@portside/adapters-aws/setup");

async function setupModule(): Promise<SetupModule> {
  try {
    return await import("@portside/adapters-aws/setup");
  } catch (error) {
    throw new Error(
      "portside setup and template need @portside/adapters-aws and its AWS SDK clients: npm install @portside/adapters-aws @aws-sdk/client-dynamodb @aws-sdk/client-sqs @aws-sdk/client-eventbridge @aws-sdk/client-secrets-manager",
      { cause: error },
    );
  }
}

export interface StageOptions {
  /** `DYNAMODB_TABLES_USERID` of the deployment: prefixes tables, queues, rules; names secrets' folder. */
  readonly stage: string;
  readonly eventBusName?: string;
}

/** The name a secret has in Secrets Manager: `portside/<stage>/<name>`, as `--from-aws` reads it. */
export const secretsManagerName = (stage: string, name: string) => `portside/${stage}/${name}`;

/**
 * Every AWS resource the selected services need, once each: their domains' tables, queues and
 * rules (from adapters-aws, the definitions its adapters use) and their secrets.
 */
export async function servicesResources(
  services: readonly ServiceEntry[],
  options: StageOptions,
): Promise<SetupResource[]> {
  const { domainResources, resourceLabel } = await setupModule();
  const aws = services.filter((s) => s.usesAws);
  const domains = [...new Set(aws.flatMap((s) => s.domains))];
  const resources: SetupResource[] = [
    ...domains.flatMap((domain) =>
      domainResources(domain, {
        prefix: options.stage,
        ...(options.eventBusName ? { eventBusName: options.eventBusName } : {}),
      }),
    ),
    ...secretsFor(domains).map(
      (spec): SetupResource => ({
        kind: "secret",
        name: secretsManagerName(options.stage, spec.name),
        description: spec.description,
        generated: spec.kind === "generated",
      }),
    ),
  ];
  return [...new Map(resources.map((r) => [resourceLabel(r), r])).values()];
}

export function formatPlan(steps: readonly SetupStep[]): string[] {
  return steps.map(
    (s) => `  ${s.action.padEnd(9)} ${s.label}${s.detail.length > 0 ? `  (${s.detail.join("; ")})` : ""}`,
  );
}

/** Plans, and unless `dryRun`, applies. Drift is an error: nothing is changed when any resource has drifted. */
export async function runSetup(
  clients: SetupClients,
  resources: readonly SetupResource[],
  options: { dryRun: boolean; print: (line: string) => void },
): Promise<SetupStep[]> {
  const { applySetup, planSetup } = await setupModule();
  const steps = await planSetup(clients, resources);
  for (const line of formatPlan(steps)) options.print(line);
  if (!options.dryRun) await applySetup(clients, steps);
  return steps;
}

export async function templateFor(
  manifest: Manifest,
  services: readonly ServiceEntry[],
  options: StageOptions,
): Promise<unknown> {
  const { cloudFormationTemplate } = await setupModule();
  const names = services.map((s) => s.name).join(", ");
  return cloudFormationTemplate(
    await servicesResources(services, options),
    `Portside services of @${manifest.scope} (${names}), stage ${options.stage}`,
  );
}

/** Clients from the environment's AWS configuration (region, credentials, `AWS_ENDPOINT_URL_*`). */
export async function defaultSetupClients(): Promise<SetupClients> {
  const [{ DynamoDBClient }, { SQSClient }, { EventBridgeClient }, { SecretsManagerClient }] =
    await Promise.all([
      import("@aws-sdk/client-dynamodb"),
      import("@aws-sdk/client-sqs"),
      import("@aws-sdk/client-eventbridge"),
      import("@aws-sdk/client-secrets-manager"),
    ]);
  return {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    eventbridge: new EventBridgeClient({}),
    secretsmanager: new SecretsManagerClient({}),
  };
}
