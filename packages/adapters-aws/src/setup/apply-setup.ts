import { randomBytes } from "node:crypto";
import { UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { createTables } from "../dynamodb/create-tables.js";
import { SetupDriftError } from "./errors.js";
import type { SetupStep } from "./plan-setup.js";
import {
  deadLetterQueueName,
  eventBridgeQueuePolicy,
  type QueueResource,
  type RuleResource,
  type SetupResource,
} from "./resources.js";
import type { SetupClients } from "./setup-clients.js";
import { applyWebSocketApi, type WebSocketApiEndpoint, webSocketApiEndpoint } from "./websocket-api.js";

/** What a host needs to know of what setup ensured: where its WebSocket APIs are reached. */
export interface AppliedSetup {
  readonly webSocketApis: readonly WebSocketApiEndpoint[];
}

async function queueArn(clients: SetupClients, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Attributes that make a queue what its resource says: redrive to its DLQ, EventBridge allowed to send. */
async function queueSettings(
  clients: SetupClients,
  resource: QueueResource,
  arn: string,
): Promise<Record<string, string>> {
  const attributes: Record<string, string> = {};
  if (resource.deadLetter) {
    const dlq = await queueArn(clients, deadLetterQueueName(resource.name));
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: resource.deadLetter.maxReceiveCount,
    });
  }
  if (resource.fromEventBridge) {
    attributes.Policy = JSON.stringify(eventBridgeQueuePolicy(arn));
  }
  return attributes;
}

async function applyQueue(clients: SetupClients, resource: QueueResource): Promise<void> {
  await clients.sqs.send(new CreateQueueCommand({ QueueName: resource.name }));
  const { url, arn } = await queueArn(clients, resource.name);
  const attributes = await queueSettings(clients, resource, arn);
  if (Object.keys(attributes).length > 0) {
    await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
}

async function applyRule(clients: SetupClients, resource: RuleResource): Promise<void> {
  const target = await queueArn(clients, resource.targetQueue);
  await clients.eventbridge.send(
    new PutRuleCommand({
      Name: resource.name,
      EventBusName: resource.eventBusName,
      EventPattern: JSON.stringify(resource.eventPattern),
      State: "ENABLED",
    }),
  );
  await clients.eventbridge.send(
    new PutTargetsCommand({
      Rule: resource.name,
      EventBusName: resource.eventBusName,
      Targets: [{ Id: resource.targetQueue, Arn: target.arn }],
    }),
  );
}

async function apply(clients: SetupClients, resource: SetupResource): Promise<void> {
  switch (resource.kind) {
    case "table":
      await createTables(clients.dynamodb, [resource.definition]);
      if (resource.timeToLiveAttribute) {
        await clients.dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: resource.definition.TableName,
            TimeToLiveSpecification: { AttributeName: resource.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
      return;
    case "queue":
      return applyQueue(clients, resource);
    case "rule":
      return applyRule(clients, resource);
    case "secret":
      await clients.secretsmanager.send(
        new CreateSecretCommand({
          Name: resource.name,
          Description: resource.description,
          ...(resource.generated ? { SecretString: randomBytes(48).toString("base64url") } : {}),
        }),
      );
      return;
    case "websocket-api":
      return applyWebSocketApi(clients, resource);
  }
}

/**
 * Carries out a plan's create and update steps, in order. A plan with drift is refused whole:
 * a resource the adapters cannot use is reported, never changed, and nothing else is half-made.
 * Returns where the WebSocket APIs of the plan are reached (changed or not).
 */
export async function applySetup(clients: SetupClients, steps: readonly SetupStep[]): Promise<AppliedSetup> {
  const drift = steps.filter((s) => s.action === "drift");
  if (drift.length > 0) throw new SetupDriftError(drift);
  for (const step of steps) {
    if (step.action === "create" || step.action === "update") await apply(clients, step.resource);
  }
  const webSocketApis: WebSocketApiEndpoint[] = [];
  for (const { resource } of steps) {
    if (resource.kind !== "websocket-api") continue;
    const endpoint = await webSocketApiEndpoint(clients, resource);
    if (endpoint) webSocketApis.push(endpoint);
  }
  return { webSocketApis };
}
