import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from "@aws-sdk/client-apigatewayv2";
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
import { STSClient } from "@aws-sdk/client-sts";
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
import { everyResource, webSocketFunctionName } from "./every-resource.js";

// EventBridge on moto delivers only to moto's SQS, so setup's queues live there too.
const clients = {
  dynamodb: new DynamoDBClient(awsClientConfig("dynamodb")),
  sqs: new SQSClient(awsClientConfig()),
  eventbridge: new EventBridgeClient(awsClientConfig()),
  secretsmanager: new SecretsManagerClient(awsClientConfig("secretsmanager")),
  apigatewayv2: new ApiGatewayV2Client(awsClientConfig()),
  sts: new STSClient(awsClientConfig()),
} satisfies SetupClients;

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

async function apiId(prefix: string): Promise<string | undefined> {
  const { Items = [] } = await clients.apigatewayv2.send(new GetApisCommand({}));
  return Items.find((a) => a.Name === `${prefix}-dj-room`)?.ApiId;
}

/** The dj-room WebSocket API setup plans for a prefix (its function named `<prefix>-ws`). */
function webSocketApi(prefix: string) {
  return domainResources("dj-room", { prefix, webSocketFunctionName: `${prefix}-ws` }).find(
    (r) => r.kind === "websocket-api",
  )!;
}

/** An API named as setup names dj-room's, made by hand with nothing in it; its id. */
async function bareApi(
  prefix: string,
  protocol: "WEBSOCKET" | "HTTP" = "WEBSOCKET",
  routeSelection = "$request.body.action",
): Promise<string> {
  const { ApiId } = await clients.apigatewayv2.send(
    new CreateApiCommand({
      Name: `${prefix}-dj-room`,
      ProtocolType: protocol,
      RouteSelectionExpression: routeSelection,
    }),
  );
  return ApiId!;
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
        `websocket-api ${prefix}-dj-room`,
      ]),
    );
    const applied = await applySetup(clients, first);

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

    // The dj-room WebSocket API: every route invokes the WebSocket function, on a stage that
    // deploys each change; its callback URL is what the fan-out's management client needs.
    const [api] = applied.webSocketApis;
    expect(applied.webSocketApis).toHaveLength(1);
    expect(api).toMatchObject({
      name: `${prefix}-dj-room`,
      url: `wss://${api!.apiId}.execute-api.us-east-1.amazonaws.com/${prefix}`,
      callbackUrl: `https://${api!.apiId}.execute-api.us-east-1.amazonaws.com/${prefix}`,
      functionName: webSocketFunctionName(prefix),
      sourceArn: `arn:aws:execute-api:us-east-1:123456789012:${api!.apiId}/*`,
    });
    const ApiId = api!.apiId;
    const { Items: integrations = [] } = await clients.apigatewayv2.send(
      new GetIntegrationsCommand({ ApiId }),
    );
    expect(integrations).toHaveLength(1);
    expect(integrations[0]).toMatchObject({
      IntegrationType: "AWS_PROXY",
      IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${webSocketFunctionName(prefix)}/invocations`,
    });
    const { Items: routes = [] } = await clients.apigatewayv2.send(new GetRoutesCommand({ ApiId }));
    expect(Object.fromEntries(routes.map((r) => [r.RouteKey, r.Target]))).toEqual({
      $connect: `integrations/${integrations[0]!.IntegrationId}`,
      $disconnect: `integrations/${integrations[0]!.IntegrationId}`,
      $default: `integrations/${integrations[0]!.IntegrationId}`,
    });
    const { Items: stages = [] } = await clients.apigatewayv2.send(new GetStagesCommand({ ApiId }));
    expect(stages.map((s) => [s.StageName, s.AutoDeploy])).toEqual([[prefix, true]]);
    // A second apply creates nothing and reports the same endpoint.
    expect((await applySetup(clients, second)).webSocketApis).toEqual(applied.webSocketApis);
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

  it("reports a WebSocket API with another protocol or route selection expression as drift", async () => {
    const prefix = uniqueName("wsdrift");
    await bareApi(prefix, "HTTP", "$request.body.type");
    const plan = await planSetup(clients, [webSocketApi(prefix)]);
    expect(plan.map((s) => [s.label, s.action, s.detail])).toEqual([
      [
        `websocket-api ${prefix}-dj-room`,
        "drift",
        [
          "protocol is HTTP, dj-room needs WEBSOCKET",
          "route selection expression is $request.body.type, dj-room needs $request.body.action",
        ],
      ],
    ]);
    await expect(applySetup(clients, plan)).rejects.toBeInstanceOf(SetupDriftError);
    const { Items = [] } = await clients.apigatewayv2.send(
      new GetRoutesCommand({ ApiId: (await apiId(prefix))! }),
    );
    expect(Items).toEqual([]);
  });

  it("completes a WebSocket API that lacks its integration, routes and stage, keeping the API", async () => {
    const prefix = uniqueName("wspart");
    const api = webSocketApi(prefix);
    const ApiId = await bareApi(prefix);
    const plan = await planSetup(clients, [api]);
    expect(plan[0]).toMatchObject({
      action: "update",
      detail: [
        `integrate function ${prefix}-ws`,
        "add route $connect",
        "add route $disconnect",
        "add route $default",
        `deploy stage ${prefix}`,
      ],
    });
    const { webSocketApis } = await applySetup(clients, plan);
    expect(webSocketApis.map((a) => a.apiId)).toEqual([ApiId]);
    expect((await planSetup(clients, [api]))[0]!.action).toBe("unchanged");
  });

  it("reports a WebSocket API whose route goes to another integration as drift", async () => {
    const prefix = uniqueName("wsroute");
    const ApiId = await bareApi(prefix);
    const { IntegrationId } = await clients.apigatewayv2.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationUri:
          "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:someone-else/invocations",
      }),
    );
    await clients.apigatewayv2.send(
      new CreateRouteCommand({ ApiId, RouteKey: "$connect", Target: `integrations/${IntegrationId}` }),
    );
    const plan = await planSetup(clients, [webSocketApi(prefix)]);
    expect(plan[0]).toMatchObject({
      action: "drift",
      detail: [`route $connect goes to integrations/${IntegrationId}, not to function ${prefix}-ws`],
    });
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
