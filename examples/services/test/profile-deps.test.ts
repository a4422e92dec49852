import { readFileSync } from "node:fs";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { composeProfileDeps as createProfileDepsService } from "@portside/service-kit/profile-deps";
import { afterEach, describe, expect, it } from "vitest";
import { awsClientConfig, awsEndpoint, dataDir, uniqueName } from "#test-support";
import { loadConfig } from "../src/config.js";
import type { ComposedService } from "../src/service.js";
import { bearer, TEST_AUTH_SECRET } from "./support/bearer.js";

let composed: ComposedService | undefined;
afterEach(async () => {
  await composed?.close?.();
  composed = undefined;
});

const call = async (service: ComposedService, method: string, path: string, body?: unknown) => {
  const response = await service.handler(
    new Request(`http://demo.test${path}`, {
      method,
      // A writer: outside the local demo, writes need the role.
      headers: {
        authorization: await bearer(["writer"]),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return { status: response.status, body: await response.json() };
};

async function untilSettled(service: ComposedService, name: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await call(service, "GET", `/profiles/${name}`);
    if (body.status !== "pending") return body;
    if (Date.now() > deadline) throw new Error(`${name} still pending`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("profile-deps service composition", () => {
  it("on embedded defaults, accepts a profile over HTTP and shows it valid against the benchmark repository", async () => {
    const [request] = JSON.parse(
      readFileSync(dataDir("rez-benchmark", "requests.json"), "utf8"),
    ) as string[][];
    const [expected] = JSON.parse(readFileSync(dataDir("rez-benchmark", "resolves.json"), "utf8")) as {
      resolve: string[];
    }[];
    composed = await createProfileDepsService({
      ...loadConfig({}),
      PROFILE_DEPS_REPOSITORY: dataDir("rez-benchmark", "packages.json"),
    });
    expect(composed.adapters).toMatchObject({ store: "memory", events: "in-process bus" });
    expect(composed.adapters.repository).toContain("1266 families");
    const created = await call(composed, "POST", "/profiles", { name: "bench-0", requests: request });
    expect(created.status).toBe(201);
    const profile = await untilSettled(composed, "bench-0");
    expect(profile.status).toBe("valid");
    expect(
      profile.packages.map(
        (p: { name: string; version: string; variantIndex: number | null }) =>
          `${p.name}${p.version ? `-${p.version}` : ""}[${p.variantIndex ?? ""}]`,
      ),
    ).toEqual(expected!.resolve);
  });

  it("serves the bundled sample repository on request, and names a repository file it cannot read", async () => {
    composed = await createProfileDepsService(loadConfig({ PROFILE_DEPS_REPOSITORY: "bundled" }));
    expect(composed.adapters.repository).toBe("memory (bundled sample)");
    const resolved = await call(composed, "POST", "/resolve", { requests: ["maya-2024"] });
    expect(resolved.body.packages.map((p: { name: string }) => p.name)).toContain("maya");
    await expect(
      createProfileDepsService(loadConfig({ PROFILE_DEPS_REPOSITORY: "/nonexistent/packages.json" })),
    ).rejects.toThrow(/Cannot read package repository \/nonexistent/);
  });

  it("on AWS (moto), serves HTTP from DynamoDB and closes the loop through EventBridge and two queues", async () => {
    const aws = awsClientConfig();
    const events = new EventBridgeClient(aws);
    const sqs = new SQSClient(aws);
    const bus = uniqueName("demo-bus");
    await events.send(new CreateEventBusCommand({ Name: bus }));
    const queues: Record<string, string> = {};
    for (const type of ["ProfileChanged", "ProfileValidated"]) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(type) }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      await events.send(
        new PutRuleCommand({
          Name: type,
          EventBusName: bus,
          EventPattern: JSON.stringify({ source: ["portside.profile-deps"], "detail-type": [type] }),
        }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: type,
          EventBusName: bus,
          Targets: [{ Id: "q", Arn: Attributes!.QueueArn }],
        }),
      );
      queues[type] = QueueUrl!;
    }
    const config = loadConfig({
      AUTH_JWT_SECRET: TEST_AUTH_SECRET,
      DYNAMODB_TABLES_USERID: uniqueName("demo"),
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: awsEndpoint("dynamodb"),
      EVENT_BUS_NAME: bus,
      PROFILE_DEPS_CHANGED_QUEUE_URL: queues.ProfileChanged,
      PROFILE_DEPS_VALIDATED_QUEUE_URL: queues.ProfileValidated,
      PROFILE_DEPS_REPOSITORY: "bundled",
    });
    composed = await createProfileDepsService(config);
    expect(composed.adapters.store).toBe(`dynamodb:${config.DYNAMODB_TABLES_USERID}-profiles`);
    expect(composed.adapters.repository).toMatch(/-packages \(seeded \d+ packages\)$/);
    await composed.start?.();
    expect((await call(composed, "POST", "/packages", { name: "python", version: "3.11.4" })).status).toBe(
      201,
    );
    expect(
      (await call(composed, "POST", "/packages", { name: "tool", version: "1.0", requires: ["python-3"] }))
        .status,
    ).toBe(201);
    expect((await call(composed, "POST", "/profiles", { name: "tools", requests: ["tool"] })).status).toBe(
      201,
    );
    const profile = await untilSettled(composed, "tools");
    expect(profile).toMatchObject({ status: "valid", revision: 1 });
    expect(profile.packages.map((p: { name: string }) => `${p.name}`)).toEqual(["python", "tool"]);
    expect(profile.packages[0].version).toBe("3.11.6");

    // A second start finds the table seeded and leaves it as it is.
    const again = await createProfileDepsService(config);
    expect(again.adapters.repository).toBe(`dynamodb:${config.DYNAMODB_TABLES_USERID}-packages`);
    await again.close?.();
  });
});
