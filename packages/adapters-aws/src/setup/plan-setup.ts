import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { DescribeRuleCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import {
  deadLetterQueueName,
  type QueueResource,
  type RuleResource,
  resourceLabel,
  type SecretResource,
  type SetupResource,
  type TableResource,
} from "./resources.js";
import type { SetupClients } from "./setup-clients.js";
import { tableDrift } from "./table-drift.js";
import { planWebSocketApi } from "./websocket-api.js";

/** What setup does with one resource. */
export type SetupAction = "create" | "update" | "unchanged" | "drift";

/** One resource in a setup plan and what setup does with it. */
export interface SetupStep {
  readonly resource: SetupResource;
  readonly label: string;
  readonly action: SetupAction;
  /** Why: what will be created or changed, or how the live resource differs. */
  readonly detail: readonly string[];
}

const notFound = (error: unknown, ...names: string[]) =>
  names.includes((error as { name?: string }).name ?? "") ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

async function describeTable(
  clients: SetupClients,
  TableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await clients.dynamodb.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (notFound(error, "ResourceNotFoundException")) return undefined;
    throw error;
  }
}

async function planTable(clients: SetupClients, resource: TableResource): Promise<[SetupAction, string[]]> {
  const TableName = resource.definition.TableName;
  const live = await describeTable(clients, TableName);
  if (!live) return ["create", ["new table"]];
  const ttl = resource.timeToLiveAttribute
    ? (await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription
    : undefined;
  const liveTtl = ttl?.TimeToLiveStatus === "ENABLED" ? ttl.AttributeName : undefined;
  const drift = tableDrift(resource, live, liveTtl);
  if (drift.length > 0) return ["drift", drift];
  if (resource.timeToLiveAttribute && liveTtl === undefined) {
    return ["update", [`turn time to live on for ${resource.timeToLiveAttribute}`]];
  }
  return ["unchanged", []];
}

async function queueAttributes(
  clients: SetupClients,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn", "RedrivePolicy", "Policy"] }),
    );
    return Attributes ?? {};
  } catch (error) {
    if (notFound(error, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")) return undefined;
    throw error;
  }
}

async function planQueue(clients: SetupClients, resource: QueueResource): Promise<[SetupAction, string[]]> {
  const live = await queueAttributes(clients, resource.name);
  if (!live) return ["create", ["new queue"]];
  const changes: string[] = [];
  if (resource.deadLetter) {
    const redrive = live.RedrivePolicy
      ? (JSON.parse(live.RedrivePolicy) as Record<string, unknown>)
      : undefined;
    const target = String(redrive?.deadLetterTargetArn ?? "");
    if (!redrive)
      changes.push(
        `send to ${deadLetterQueueName(resource.name)} after ${resource.deadLetter.maxReceiveCount} receives`,
      );
    else if (!target.endsWith(`:${deadLetterQueueName(resource.name)}`)) {
      return [
        "drift",
        [`dead-letter queue is ${target}, adapters expect ${deadLetterQueueName(resource.name)}`],
      ];
    } else if (Number(redrive.maxReceiveCount) !== resource.deadLetter.maxReceiveCount) {
      changes.push(
        `maxReceiveCount ${String(redrive.maxReceiveCount)} -> ${resource.deadLetter.maxReceiveCount}`,
      );
    }
  }
  if (resource.fromEventBridge && !(live.Policy ?? "").includes("events.amazonaws.com")) {
    changes.push("let EventBridge rules send to it");
  }
  return changes.length > 0 ? ["update", changes] : ["unchanged", []];
}

const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : value && typeof value === "object"
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(value);

async function planRule(clients: SetupClients, resource: RuleResource): Promise<[SetupAction, string[]]> {
  let pattern: string | undefined;
  try {
    ({ EventPattern: pattern } = await clients.eventbridge.send(
      new DescribeRuleCommand({ Name: resource.name, EventBusName: resource.eventBusName }),
    ));
  } catch (error) {
    if (notFound(error, "ResourceNotFoundException"))
      return ["create", [`rule and target ${resource.targetQueue}`]];
    throw error;
  }
  if (canonical(JSON.parse(pattern ?? "{}")) !== canonical(resource.eventPattern)) {
    return ["drift", [`event pattern is ${pattern}, adapters need ${JSON.stringify(resource.eventPattern)}`]];
  }
  const { Targets = [] } = await clients.eventbridge.send(
    new ListTargetsByRuleCommand({ Rule: resource.name, EventBusName: resource.eventBusName }),
  );
  const targeted = Targets.some((t) => t.Arn?.endsWith(`:${resource.targetQueue}`));
  return targeted ? ["unchanged", []] : ["update", [`add target ${resource.targetQueue}`]];
}

async function planSecret(clients: SetupClients, resource: SecretResource): Promise<[SetupAction, string[]]> {
  try {
    await clients.secretsmanager.send(new DescribeSecretCommand({ SecretId: resource.name }));
    return ["unchanged", []];
  } catch (error) {
    if (!notFound(error, "ResourceNotFoundException")) throw error;
    return [
      "create",
      [
        resource.generated
          ? "generated value"
          : `no value yet: aws secretsmanager put-secret-value --secret-id ${resource.name} --secret-string ...`,
      ],
    ];
  }
}

function expand(resources: readonly SetupResource[]): SetupResource[] {
  return resources.flatMap((r) =>
    r.kind === "queue" && r.deadLetter
      ? [{ kind: "queue" as const, name: deadLetterQueueName(r.name) }, r]
      : [r],
  );
}

/** Compares every resource with what exists; changes nothing. Dead-letter queues come before their queues. */
export async function planSetup(
  clients: SetupClients,
  resources: readonly SetupResource[],
): Promise<SetupStep[]> {
  const planners = {
    table: planTable,
    queue: planQueue,
    rule: planRule,
    secret: planSecret,
    "websocket-api": planWebSocketApi,
  } as const;
  const steps: SetupStep[] = [];
  for (const resource of expand(resources)) {
    const plan = planners[resource.kind] as (
      c: SetupClients,
      r: SetupResource,
    ) => Promise<[SetupAction, string[]]>;
    const [action, detail] = await plan(clients, resource);
    steps.push({ resource, label: resourceLabel(resource), action, detail });
  }
  return steps;
}
