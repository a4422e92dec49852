import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { DynamoDBClient, paginateListTables } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import {
  type AppliedSetup,
  applySetup,
  domainQueueNames,
  planSetup,
  type SetupClients,
  type SetupResource,
  type SetupStep,
} from "@portside/adapters-aws/setup";
import { parseManifest, selectServices } from "@portside/service-kit";
import { awsClientConfig } from "#test-support";
import { servicesResources } from "../../../../packages/service-kit/src/cli/setup-command.js";

const MANIFEST = fileURLToPath(new URL("../../portside.services.json", import.meta.url));

/**
 * The stage's resources as `portside setup --stage <stage>` plans them for every service of the
 * examples' manifest, split by the SQS engine that holds them: EventBridge on moto delivers only
 * to moto's SQS, so the profile validation loop's queues live there; the rest on the SQS engine.
 */
export async function stageResources(stage: string, eventBusName: string) {
  const manifest = parseManifest(JSON.parse(readFileSync(MANIFEST, "utf8")), MANIFEST);
  const resources = await servicesResources(manifest, selectServices(manifest), { stage, eventBusName });
  const queues = domainQueueNames(stage);
  const loop = new Set<string>([queues.profileValidation, queues.profileResults]);
  const viaRules = (r: SetupResource) => r.kind === "rule" || (r.kind === "queue" && loop.has(r.name));
  return {
    resources,
    onMoto: resources.filter(viaRules),
    onSqsEngine: resources.filter((r) => !viaRules(r)),
  };
}

const shared = () => {
  const moto = awsClientConfig();
  return {
    dynamodb: new DynamoDBClient(awsClientConfig("dynamodb")),
    eventbridge: new EventBridgeClient(moto),
    secretsmanager: new SecretsManagerClient(moto),
    apigatewayv2: new ApiGatewayV2Client(moto),
    sts: new STSClient(moto),
  };
};

/** Setup's clients on the emulators; `sqs` is moto's for the rules' queues, else the SQS engine's. */
export function setupClients(): { onMoto: SetupClients; onSqsEngine: SetupClients } {
  const clients = shared();
  return {
    onMoto: { ...clients, sqs: new SQSClient(awsClientConfig()) },
    onSqsEngine: { ...clients, sqs: new SQSClient(awsClientConfig("sqs")) },
  };
}

type Clients = ReturnType<typeof setupClients>;
type StageResources = Awaited<ReturnType<typeof stageResources>>;

/** Plans each half of the stage with its clients; changes nothing. */
export async function planStage(clients: Clients, resources: StageResources) {
  return {
    onSqsEngine: await planSetup(clients.onSqsEngine, resources.onSqsEngine),
    onMoto: await planSetup(clients.onMoto, resources.onMoto),
  };
}

/** Every step of a stage's plan. */
export const allSteps = (plan: Awaited<ReturnType<typeof planStage>>): SetupStep[] => [
  ...plan.onSqsEngine,
  ...plan.onMoto,
];

/** Applies both halves of a plan; the WebSocket API is in the first. */
export async function applyStage(
  clients: Clients,
  plan: Awaited<ReturnType<typeof planStage>>,
): Promise<AppliedSetup> {
  const applied = await applySetup(clients.onSqsEngine, plan.onSqsEngine);
  await applySetup(clients.onMoto, plan.onMoto);
  return applied;
}

/** The tables whose names start with `<prefix>-`, sorted. */
export async function tablesOf(dynamodb: DynamoDBClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client: dynamodb }, {})) {
    names.push(...(page.TableNames ?? []).filter((n) => n.startsWith(`${prefix}-`)));
  }
  return names.sort();
}
