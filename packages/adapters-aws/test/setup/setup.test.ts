import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import {
  applySetup,
  domainQueueNames,
  domainResources,
  planSetup,
  type SetupClients,
  SetupDriftError,
} from "../../src/setup/index.js";
import { everyResource } from "./every-resource.js";

// EventBridge on moto delivers only to moto's SQS, so setup's queues live there too.
const clients: SetupClients = {
  dynamodb: new DynamoDBClient(awsClientConfig("dynamodb")),
  sqs: new SQSClient(awsClientConfig()),
  eventbridge: new EventBridgeClient(awsClientConfig()),
  secretsmanager: new SecretsManagerClient(awsClientConfig("secretsmanager")),
};

const actions = (steps: Awaited<ReturnType<typeof planSetup>>) =>
  Object.fromEntries(steps.map((s) => [s.label, s.action]));

async function receiveOne(queue: string): Promise<Record<string, unknown> | undefined> {
  const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
  for (let i = 0; i < 10; i++) {
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    if (Messages?.[0]?.Body) return JSON.parse(Messages[0].Body) as Record<string, unknown>;
  }
  return undefined;
}

describe("setup", () => {
  it("creates every resource from nothing, then finds nothing to change", async () => {
    const prefix = uniqueName("setup");
    const resources = everyResource(prefix);
    const first = await planSetup(clients, resources);
    expect(new Set(first.map((s) => s.action))).toEqual(new Set(["create"]));
    expect(Object.keys(actions(first))).toEqual(
      expect.arrayContaining([
        `table ${prefix}-registry`,
        `table ${prefix}-profiles`,
        `table ${prefix}-packages`,
        `table ${prefix}-rooms`,
        `queue ${prefix}-audit-events-dlq`,
        `queue ${prefix}-audit-events`,
        `rule ${prefix}-profile-changed`,
      ]),
    );
    await applySetup(clients, first);

    const second = await planSetup(clients, resources);
    expect(second.filter((s) => s.action !== "unchanged")).toEqual([]);

    const { Table } = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: `${prefix}-profiles` }),
    );
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(["byName", "byParent"]);
    // The dj-room adapters' rate-limit windows and WebSocket connections expire by TTL.
    const { TimeToLiveDescription } = await clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: `${prefix}-rooms` }),
    );
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: "ENABLED", AttributeName: "expiresAt" });
    const { QueueUrl } = await clients.sqs.send(
      new GetQueueUrlCommand({ QueueName: `${prefix}-audit-events` }),
    );
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["RedrivePolicy"] }),
    );
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toMatchObject({
      deadLetterTargetArn: expect.stringMatching(new RegExp(`:${prefix}-audit-events-dlq$`)),
      maxReceiveCount: 5,
    });
    const generated = await clients.secretsmanager.send(
      new GetSecretValueCommand({ SecretId: `${prefix}/dj-room-session-secret` }),
    );
    expect(generated.SecretString).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  it("routes profile events to the validation and results queues through the rules it created", async () => {
    const prefix = uniqueName("loop");
    await applySetup(clients, await planSetup(clients, domainResources("profile-deps", { prefix })));
    const queues = domainQueueNames(prefix);
    for (const [detailType, queue] of [
      ["ProfileChanged", queues.profileValidation],
      ["ProfileValidated", queues.profileResults],
    ] as const) {
      await clients.eventbridge.send(
        new PutEventsCommand({
          Entries: [
            { Source: "portside.profile-deps", DetailType: detailType, Detail: JSON.stringify({ prefix }) },
          ],
        }),
      );
      expect(await receiveOne(queue)).toMatchObject({ "detail-type": detailType, detail: { prefix } });
    }
  });

  it("reports a table with the wrong key schema as drift and changes nothing", async () => {
    const prefix = uniqueName("drift");
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: `${prefix}-registry`,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      }),
    );
    const resources = [...domainResources("registry", { prefix }), ...domainResources("dj-room", { prefix })];
    const plan = await planSetup(clients, resources);
    expect(actions(plan)).toEqual({
      [`table ${prefix}-registry`]: "drift",
      [`table ${prefix}-rooms`]: "create",
    });
    expect(plan[0]!.detail[0]).toBe("key schema is id:HASH, adapters need pk:HASH,sk:RANGE");
    const error = await applySetup(clients, plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupDriftError);
    expect((error as Error).message).toContain(`table ${prefix}-registry: key schema is id:HASH`);
    await expect(
      clients.dynamodb.send(new DescribeTableCommand({ TableName: `${prefix}-rooms` })),
    ).rejects.toThrow();
  });
});
