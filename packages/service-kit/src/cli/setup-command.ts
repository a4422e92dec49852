import type {
  SetupClients,
  SetupResource,
  SetupStep,
  WebSocketApiEndpoint,
} from "@portside/adapters-aws/setup";
import { DJ_ROOM_WEBSOCKET_HANDLER, deriveNames } from "../manifest/derived-names.js";
import type { Manifest, ServiceEntry } from "../manifest/schema.js";
import { secretsFor } from "../secrets/secret-specs.js";
import { secretsManagerPrefix } from "../secrets/secrets-manager-source.js";

type SetupModule = typeof import("@portside/adapters-aws/setup");

async function setupModule(): Promise<SetupModule> {
  try {
    return await import("@portside/adapters-aws/setup");
  } catch (error) {
    throw new Error(
      "portside setup and template need @portside/adapters-aws and its AWS SDK clients: npm install @portside/adapters-aws @aws-sdk/client-dynamodb @aws-sdk/client-sqs @aws-sdk/client-eventbridge @aws-sdk/client-secrets-manager @aws-sdk/client-apigatewayv2 @aws-sdk/client-sts",
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
export const secretsManagerName = (stage: string, name: string) => `${secretsManagerPrefix(stage)}${name}`;

/**
 * The function behind the stage's dj-room WebSocket API: that of the first service of the
 * manifest (enabled, using AWS) hosting dj-room on Lambda, whichever services are selected, so
 * the API's target never depends on the selection. None: no WebSocket API (the hosts stream
 * Server-Sent Events).
 */
function webSocketFunctionName(
  manifest: Pick<Manifest, "scope" | "services">,
  stage: string,
): string | undefined {
  const host = manifest.services.find(
    (s) => s.enabled && s.usesAws && s.domains.includes("dj-room") && s.hosts.includes("lambda"),
  );
  return host && deriveNames(manifest, host, stage).functionName(DJ_ROOM_WEBSOCKET_HANDLER);
}

/**
 * Every AWS resource the selected services need, once each: their domains' tables, queues,
 * rules and the dj-room WebSocket API (from adapters-aws, the definitions its adapters use) and
 * their secrets.
 */
export async function servicesResources(
  manifest: Pick<Manifest, "scope" | "services">,
  services: readonly ServiceEntry[],
  options: StageOptions,
): Promise<SetupResource[]> {
  const { domainResources, resourceLabel } = await setupModule();
  const aws = services.filter((s) => s.usesAws);
  const domains = [...new Set(aws.flatMap((s) => s.domains))];
  const functionName = webSocketFunctionName(manifest, options.stage);
  const resources: SetupResource[] = [
    ...domains.flatMap((domain) =>
      domainResources(domain, {
        prefix: options.stage,
        ...(options.eventBusName ? { eventBusName: options.eventBusName } : {}),
        ...(functionName ? { webSocketFunctionName: functionName } : {}),
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

/** Where a dj-room host finds the WebSocket API, as the config keys it reads, and how to let it invoke the function. */
export function formatWebSocketApi(api: WebSocketApiEndpoint): string[] {
  const { functionName } = api;
  return [
    `  websocket ${api.name}`,
    `    DJ_ROOM_WEBSOCKET_URL=${api.url}`,
    `    DJ_ROOM_WEBSOCKET_ENDPOINT=${api.callbackUrl}`,
    `    once ${functionName} is deployed, let API Gateway invoke it: aws lambda add-permission --function-name ${functionName} --statement-id ${api.name}-invoke --action lambda:InvokeFunction --principal apigateway.amazonaws.com --source-arn '${api.sourceArn}'`,
  ];
}

/** What `runSetup` planned and, unless a dry run, where the WebSocket APIs it ensured are reached. */
export interface SetupRun {
  readonly steps: SetupStep[];
  readonly webSocketApis: readonly WebSocketApiEndpoint[];
}

/** Plans, and unless `dryRun`, applies. Drift is an error: nothing is changed when any resource has drifted. */
export async function runSetup(
  clients: SetupClients,
  resources: readonly SetupResource[],
  options: { dryRun: boolean; print: (line: string) => void },
): Promise<SetupRun> {
  const { applySetup, planSetup } = await setupModule();
  const steps = await planSetup(clients, resources);
  for (const line of formatPlan(steps)) options.print(line);
  if (options.dryRun) return { steps, webSocketApis: [] };
  const { webSocketApis } = await applySetup(clients, steps);
  for (const line of webSocketApis.flatMap(formatWebSocketApi)) options.print(line);
  return { steps, webSocketApis };
}

export async function templateFor(
  manifest: Manifest,
  services: readonly ServiceEntry[],
  options: StageOptions,
): Promise<unknown> {
  const { cloudFormationTemplate } = await setupModule();
  const names = services.map((s) => s.name).join(", ");
  return cloudFormationTemplate(
    await servicesResources(manifest, services, options),
    `Portside services of @${manifest.scope} (${names}), stage ${options.stage}`,
  );
}

/**
 * Clients from the environment's AWS configuration (region, credentials, `AWS_ENDPOINT_URL_*`).
 * The API Gateway and STS clients are loaded only for a WebSocket API.
 */
export async function defaultSetupClients(resources: readonly SetupResource[]): Promise<SetupClients> {
  const [{ DynamoDBClient }, { SQSClient }, { EventBridgeClient }, { SecretsManagerClient }] =
    await Promise.all([
      import("@aws-sdk/client-dynamodb"),
      import("@aws-sdk/client-sqs"),
      import("@aws-sdk/client-eventbridge"),
      import("@aws-sdk/client-secrets-manager"),
    ]);
  const clients = {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    eventbridge: new EventBridgeClient({}),
    secretsmanager: new SecretsManagerClient({}),
  };
  if (!resources.some((r) => r.kind === "websocket-api")) return clients;
  const [{ ApiGatewayV2Client }, { STSClient }] = await Promise.all([
    import("@aws-sdk/client-apigatewayv2"),
    import("@aws-sdk/client-sts"),
  ]);
  return { ...clients, apigatewayv2: new ApiGatewayV2Client({}), sts: new STSClient({}) };
}
