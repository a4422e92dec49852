import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
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
};

describe("portside setup", () => {
  it("plans each resource of the selected services once, skipping services that use no AWS", async () => {
    const resources = await servicesResources(selectServices(manifest), { stage: "prod" });
    expect(resources.map((r) => `${r.kind} ${r.kind === "table" ? r.definition.TableName : r.name}`)).toEqual(
      [
        "table prod-rooms",
        "secret portside/prod/dj-room-session-secret",
        "secret portside/prod/spotify-token-key",
        "secret portside/prod/spotify-client-id",
        "secret portside/prod/spotify-client-secret",
      ],
    );
  });

  it("prints the plan on a dry run and changes nothing; applies it once; then has nothing to do", async () => {
    const stage = uniqueName("kit");
    const resources = await servicesResources(selectServices(manifest, ["%party"]), { stage });
    const lines: string[] = [];
    const dry = await runSetup(clients, resources, { dryRun: true, print: (l) => lines.push(l) });
    expect(dry.map((s) => s.action)).toEqual(["create", "create", "create", "create", "create"]);
    expect(lines[0]).toBe(`  create    table ${stage}-rooms  (new table)`);
    expect(
      (await runSetup(clients, resources, { dryRun: true, print: () => {} })).map((s) => s.action),
    ).toEqual(dry.map((s) => s.action));
    await runSetup(clients, resources, { dryRun: false, print: () => {} });
    const again = await runSetup(clients, resources, { dryRun: true, print: () => {} });
    expect(again.map((s) => s.action)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
  });

  it("emits a CloudFormation template of the same resources", async () => {
    const template = (await templateFor(manifest, selectServices(manifest, ["rooms"]), {
      stage: "prod",
    })) as {
      Resources: Record<string, { Type: string }>;
      Parameters: Record<string, unknown>;
    };
    expect(Object.values(template.Resources).map((r) => r.Type)).toEqual([
      "AWS::DynamoDB::Table",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::Secret",
    ]);
    expect(Object.keys(template.Parameters)).toEqual([
      "PortsideProdSpotifyClientIdSecretValue",
      "PortsideProdSpotifyClientSecretSecretValue",
    ]);
  });
});
