import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { awsClientConfig, pythonWith, uniqueName } from "#test-support";
import { cloudFormationTemplate, planSetup } from "../../src/setup/index.js";
import { everyResource, webSocketFunctionName } from "./every-resource.js";

async function stackStatus(
  cloudformation: CloudFormationClient,
  StackName: string,
): Promise<string | undefined> {
  let status: string | undefined;
  for (let i = 0; i < 60 && !status?.endsWith("_COMPLETE") && !status?.endsWith("_FAILED"); i++) {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName }));
    status = Stacks?.[0]?.StackStatus;
    if (!status?.endsWith("_COMPLETE")) await new Promise((r) => setTimeout(r, 500));
  }
  return status;
}

/** The WebSocket function, deployed apart as a real one would be: the template grants API Gateway access to it. */
async function deployWebSocketFunction(cloudformation: CloudFormationClient, prefix: string): Promise<void> {
  const StackName = `${prefix}-functions`;
  await cloudformation.send(
    new CreateStackCommand({
      StackName,
      TemplateBody: JSON.stringify({
        Resources: {
          Role: {
            Type: "AWS::IAM::Role",
            Properties: {
              AssumeRolePolicyDocument: {
                Version: "2012-10-17",
                Statement: [
                  {
                    Effect: "Allow",
                    Principal: { Service: "lambda.amazonaws.com" },
                    Action: "sts:AssumeRole",
                  },
                ],
              },
            },
          },
          WebSocket: {
            Type: "AWS::Lambda::Function",
            Properties: {
              FunctionName: webSocketFunctionName(prefix),
              Runtime: "nodejs22.x",
              Handler: "index.handler",
              Role: { "Fn::GetAtt": ["Role", "Arn"] },
              Code: { ZipFile: "exports.handler = async () => ({ statusCode: 200 });" },
            },
          },
        },
      }),
    }),
  );
  expect(await stackStatus(cloudformation, StackName)).toBe("CREATE_COMPLETE");
}

describe("CloudFormation template", () => {
  it("passes cfn-lint", { timeout: 240_000 }, () => {
    const python = pythonWith("cfn-lint==1.58.0");
    const file = join(mkdtempSync(join(tmpdir(), "cfn-")), "template.json");
    writeFileSync(
      file,
      JSON.stringify(cloudFormationTemplate(everyResource("prod"), "Portside services (prod)"), null, 2),
    );
    const lint = spawnSync(
      python,
      [
        "-c",
        "import sys; from cfnlint.runner import main; sys.exit(main())",
        "--regions",
        "us-east-1",
        "--",
        file,
      ],
      { encoding: "utf8" },
    );
    expect(`${lint.stdout}${lint.stderr}`).toBe("");
    expect(lint.status).toBe(0);
  });

  it("deploys onto CloudFormation with exactly the resources setup would create", {
    timeout: 120_000,
  }, async () => {
    // Every client on moto: the stack creates its resources there.
    const moto = awsClientConfig();
    const cloudformation = new CloudFormationClient(moto);
    const prefix = uniqueName("stack");
    const StackName = `${prefix}-portside`;
    await deployWebSocketFunction(cloudformation, prefix);
    const template = cloudFormationTemplate(everyResource(prefix), `Portside services (${prefix})`);
    await cloudformation.send(
      new CreateStackCommand({
        StackName,
        TemplateBody: JSON.stringify(template),
        Parameters: Object.keys(template.Parameters ?? {}).map((ParameterKey) => ({
          ParameterKey,
          ParameterValue: "from-the-deployer",
        })),
      }),
    );
    expect(await stackStatus(cloudformation, StackName)).toBe("CREATE_COMPLETE");
    const plan = await planSetup(
      {
        dynamodb: new DynamoDBClient(moto),
        sqs: new SQSClient(moto),
        eventbridge: new EventBridgeClient(moto),
        secretsmanager: new SecretsManagerClient(moto),
        apigatewayv2: new ApiGatewayV2Client(moto),
        sts: new STSClient(moto),
      },
      everyResource(prefix),
    );
    // moto's CloudFormation skips the types it does not implement (AWS::SQS::QueuePolicy,
    // AWS::SecretsManager::Secret, AWS::ApiGatewayV2::*) and a table's TimeToLiveSpecification
    // (cfn-lint above checks them; the template carries the TTL): exactly those remain to do.
    // The permission for API Gateway to invoke the WebSocket function is deployed.
    const { StackResources = [] } = await cloudformation.send(
      new DescribeStackResourcesCommand({ StackName }),
    );
    const skipped = [
      "AWS::SQS::QueuePolicy",
      "AWS::SecretsManager::Secret",
      "AWS::ApiGatewayV2::Api",
      "AWS::ApiGatewayV2::Integration",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::Stage",
    ];
    // moto lists a skipped resource without id or type.
    const deployed = StackResources.map((r) => r.ResourceType ?? "skipped").sort();
    const expected = Object.values(template.Resources as Record<string, { Type: string }>)
      .map((r) => (skipped.includes(r.Type) ? "skipped" : r.Type))
      .sort();
    expect(deployed).toEqual(expected);
    expect(deployed).toContain("AWS::Lambda::Permission");
    const rooms = Object.values(template.Resources).find(
      (r) => (r as { Properties?: { TableName?: string } }).Properties?.TableName === `${prefix}-rooms`,
    ) as { Properties: Record<string, unknown> } | undefined;
    expect(rooms?.Properties.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
    const left = plan
      .filter((s) => s.action !== "unchanged")
      .map((s) => `${s.label}: ${s.action} ${s.detail.join("; ")}`);
    expect(left.sort()).toEqual(
      [
        `queue ${prefix}-profile-validation: update let EventBridge rules send to it`,
        `queue ${prefix}-profile-results: update let EventBridge rules send to it`,
        `secret ${prefix}/dj-room-session-secret: create generated value`,
        `table ${prefix}-rooms: update turn time to live on for expiresAt`,
        `secret ${prefix}/spotify-client-secret: create no value yet: aws secretsmanager put-secret-value --secret-id ${prefix}/spotify-client-secret --secret-string ...`,
        `websocket-api ${prefix}-dj-room: create WEBSOCKET, routes $connect, $disconnect, $default to function ${webSocketFunctionName(prefix)}, stage ${prefix}`,
      ].sort(),
    );
  });
});
