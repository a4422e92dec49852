import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { awsClientConfig, pythonWith, uniqueName } from "#test-support";
import { cloudFormationTemplate, planSetup } from "../../src/setup/index.js";
import { everyResource } from "./every-resource.js";

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
    let status: string | undefined;
    for (let i = 0; i < 60 && !status?.endsWith("_COMPLETE") && !status?.endsWith("_FAILED"); i++) {
      const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName }));
      status = Stacks?.[0]?.StackStatus;
      if (!status?.endsWith("_COMPLETE")) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe("CREATE_COMPLETE");
    const plan = await planSetup(
      {
        dynamodb: new DynamoDBClient(moto),
        sqs: new SQSClient(moto),
        eventbridge: new EventBridgeClient(moto),
        secretsmanager: new SecretsManagerClient(moto),
      },
      everyResource(prefix),
    );
    // moto's CloudFormation skips the two types it does not implement (AWS::SQS::QueuePolicy,
    // AWS::SecretsManager::Secret) and a table's TimeToLiveSpecification (cfn-lint above checks
    // them; the template carries the TTL): exactly those remain to do.
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
      ].sort(),
    );
  });
});
