import type { TableDefinition } from "../dynamodb/create-tables.js";

/** A DynamoDB table exactly as an adapter expects it: keys, indexes, and the TTL attribute if any. */
export interface TableResource {
  readonly kind: "table";
  readonly definition: TableDefinition;
  readonly timeToLiveAttribute?: string;
}

/** An SQS queue; with `deadLetter`, also its dead-letter queue `<name>-dlq` and the redrive policy. */
export interface QueueResource {
  readonly kind: "queue";
  readonly name: string;
  readonly deadLetter?: { readonly maxReceiveCount: number };
  /** Lets EventBridge rules send to it (a queue policy for events.amazonaws.com). */
  readonly fromEventBridge?: boolean;
}

/** An EventBridge rule on a bus, delivering matching events to one queue. */
export interface RuleResource {
  readonly kind: "rule";
  readonly name: string;
  readonly eventBusName: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  readonly targetQueue: string;
}

/** A Secrets Manager secret; `generated` ones get a random value, third-party ones wait for a person's. */
export interface SecretResource {
  readonly kind: "secret";
  readonly name: string;
  readonly description: string;
  readonly generated: boolean;
}

/**
 * An API Gateway WebSocket API whose routes all invoke one Lambda function (proxy integration),
 * deployed to a stage that deploys every change: the dj-room live updates on Lambda.
 */
export interface WebSocketApiResource {
  readonly kind: "websocket-api";
  readonly name: string;
  readonly routeSelectionExpression: string;
  readonly routeKeys: readonly string[];
  /** The function every route invokes, by name (the function need not exist yet). */
  readonly functionName: string;
  readonly stageName: string;
}

/** An AWS resource an adapter needs: a table, a queue, a rule, a secret or a WebSocket API. */
export type SetupResource =
  | TableResource
  | QueueResource
  | RuleResource
  | SecretResource
  | WebSocketApiResource;

/** The name of a queue's dead-letter queue. */
export const deadLetterQueueName = (queue: string) => `${queue}-dlq`;

/** A stable, human-readable label: `table dev-rooms`, `queue dev-audit-events`. */
export function resourceLabel(resource: SetupResource): string {
  return `${resource.kind} ${resource.kind === "table" ? resource.definition.TableName : resource.name}`;
}

/** The queue policy that lets EventBridge rules deliver to a queue (`queueArn`: its ARN, or a template reference to it). */
export function eventBridgeQueuePolicy(queueArn: unknown) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeRules",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
      },
    ],
  };
}
