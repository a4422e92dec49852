import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { runSetup, servicesResources, templateFor } from "../src/cli/setup-command.js";
import { parseManifest, selectServices } from "../src/index.js";

const manifest = parseManifest({
  scope: "acme",
  services: [
    { name: "rooms/api", devPort: 9101, domains: ["dj-room"], groups: ["party"] },
    { name: "rooms/worker", devPort: 9102, domains: ["dj-room"], hosts: ["lambda"], groups: ["party"] },
    { name: "audit", devPort: 9104, domains: ["event-recorder"], usesAws: false },
  ],
});

const clients = {
  dynamodb: new DynamoDBClient(awsClientConfig("dynamodb")),
  sqs: new SQSClient(awsClientConfig()),
  eventbridge: new EventBridgeClient(awsClientConfig()),
  secretsmanager: new SecretsManagerClient(awsClientConfig("secretsmanager")),
  apigatewayv2: new ApiGatewayV2Client(awsClientConfig()),
  sts: new STSClient(awsClientConfig()),
};

describe("portside setup", () => {
  it("plans each resource of the selected services once, skipping services that use no AWS", async () => {
    const resources = await servicesResources(manifest, selectServices(manifest), { stage: "prod" });
    expect(resources.map((r) => `${r.kind} ${r.kind === "table" ? r.definition.TableName : r.name}`)).toEqual(
      [
        "table prod-rooms",
        "websocket-api prod-dj-room",
        "secret portside/prod/dj-room-session-secret",
        "secret portside/prod/spotify-token-key",
        "secret portside/prod/spotify-client-id",
        "secret portside/prod/spotify-client-secret",
      ],
    );
  });

  it("points the WebSocket API at the manifest's first dj-room Lambda host, whichever services are selected", async () => {
    for (const selection of [[], ["rooms/worker"], ["rooms/api"]]) {
      const resources = await servicesResources(manifest, selectServices(manifest, selection), {
        stage: "prod",
      });
      const api = resources.find((r) => r.kind === "websocket-api");
      expect(api?.kind === "websocket-api" && api.functionName).toBe("prod-rooms-api-dj-room-websocket");
    }
  });

  it("prints the plan on a dry run and changes nothing; applies it once; then has nothing to do", async () => {
    const stage = uniqueName("kit");
    const resources = await servicesResources(manifest, selectServices(manifest, ["%party"]), { stage });
    const lines: string[] = [];
    const dry = await runSetup(clients, resources, { dryRun: true, print: (l) => lines.push(l) });
    expect(dry.steps.map((s) => s.action)).toEqual(Array(6).fill("create"));
    expect(dry.webSocketApis).toEqual([]);
    expect(lines.slice(0, 2)).toEqual([
      `  create    table ${stage}-rooms  (new table)`,
      // rooms/api is the first of the group hosting dj-room on Lambda: its function serves the API.
      `  create    websocket-api ${stage}-dj-room  (WEBSOCKET, routes $connect, $disconnect, $default to function ${stage}-rooms-api-dj-room-websocket, stage ${stage})`,
    ]);
    expect(
      (await runSetup(clients, resources, { dryRun: true, print: () => {} })).steps.map((s) => s.action),
    ).toEqual(dry.steps.map((s) => s.action));
    const printed: string[] = [];
    const applied = await runSetup(clients, resources, { dryRun: false, print: (l) => printed.push(l) });
    const [api] = applied.webSocketApis;
    const host = `${api!.apiId}.execute-api.us-east-1.amazonaws.com`;
    // What the dj-room host reads, printed under the plan.
    expect(printed.slice(6)).toEqual([
      `  websocket ${stage}-dj-room`,
      `    DJ_ROOM_WEBSOCKET_URL=wss://${host}/${stage}`,
      `    DJ_ROOM_WEBSOCKET_ENDPOINT=https://${host}/${stage}`,
      `    once ${stage}-rooms-api-dj-room-websocket is deployed, let API Gateway invoke it: aws lambda add-permission --function-name ${stage}-rooms-api-dj-room-websocket --statement-id ${stage}-dj-room-invoke --action lambda:InvokeFunction --principal apigateway.amazonaws.com --source-arn 'arn:aws:execute-api:us-east-1:123456789012:${api!.apiId}/*'`,
    ]);
    const again = await runSetup(clients, resources, { dryRun: true, print: () => {} });
    expect(again.steps.map((s) => s.action)).toEqual(Array(6).fill("unchanged"));
  });

  it("plans no WebSocket API when no selected service hosts dj-room on Lambda", async () => {
    const expressOnly = parseManifest({
      services: [{ name: "rooms/api", devPort: 9101, domains: ["dj-room"], hosts: ["express"] }],
    });
    const resources = await servicesResources(expressOnly, selectServices(expressOnly), { stage: "prod" });
    expect(resources.filter((r) => r.kind === "websocket-api")).toEqual([]);
  });

  it("emits a CloudFormation template of the same resources", async () => {
    const template = (await templateFor(manifest, selectServices(manifest, ["rooms"]), {
      stage: "prod",
    })) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      Parameters: Record<string, unknown>;
      Outputs: Record<string, unknown>;
    };
    expect(Object.values(template.Resources).map((r) => r.Type)).toEqual([
      "AWS::DynamoDB::Table",
      "AWS::ApiGatewayV2::Api",
      "AWS::ApiGatewayV2::Integration",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::Stage",
      "AWS::Lambda::Permission",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::Secret",
    ]);
    expect(template.Resources.ProdDjRoomApiPermission?.Properties.FunctionName).toBe(
      "prod-rooms-api-dj-room-websocket",
    );
    expect(template.Outputs.ProdDjRoomApiCallbackUrl).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's.
      Value: { "Fn::Sub": "https://${ProdDjRoomApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod" },
    });
    expect(Object.keys(template.Parameters)).toEqual([
      "PortsideProdSpotifyClientIdSecretValue",
      "PortsideProdSpotifyClientSecretSecretValue",
    ]);
  });
});
