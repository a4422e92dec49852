import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { bearer, TEST_AUTH_SECRET } from "../../services/test/support/bearer.js";
import { httpEvent } from "./support/http-event.js";

const aws = awsClientConfig();
const events = new EventBridgeClient(aws);
const sqs = new SQSClient(aws);
const bus = uniqueName("lambda-profile-bus");
const queues: Record<string, string> = {};
/** The handlers read their config from the environment, as in Lambda; restored after this file. */
const ENV_KEYS = [
  "DYNAMODB_TABLES_USERID",
  "AWS_REGION",
  "AWS_ENDPOINT_URL",
  "EVENT_BUS_NAME",
  "AUTH_JWT_SECRET",
] as const;
/** A writer's token: outside the local demo every request needs one, and writes the role. */
let authorization = "";
const savedEnv: Record<string, string | undefined> = {};

type Handlers = {
  http: typeof import("../src/profile-deps.js");
  validator: typeof import("../src/profile-deps-validator.js");
  results: typeof import("../src/profile-deps-results.js");
};
let lambdas: Handlers;

async function http(method: string, path: string, body?: unknown) {
  const result = await lambdas.http.handler(httpEvent(method, path, { body, authorization }));
  return { status: result.statusCode, body: JSON.parse(result.body ?? "null") };
}

/** What EventBridge delivered to the rule's queue: the envelope a Lambda target would receive. */
async function nextDelivery(type: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues[type], MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
    );
    const message = Messages[0];
    if (message) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queues[type], ReceiptHandle: message.ReceiptHandle! }),
      );
      return { messageId: message.MessageId!, body: message.Body!, envelope: JSON.parse(message.Body!) };
    }
  }
  throw new Error(`No ${type} delivered`);
}

beforeAll(async () => {
  await events.send(new CreateEventBusCommand({ Name: bus }));
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
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
  Object.assign(process.env, {
    DYNAMODB_TABLES_USERID: uniqueName("lambda"),
    AWS_REGION: aws.region,
    AWS_ENDPOINT_URL: aws.endpoint,
    EVENT_BUS_NAME: bus,
    AUTH_JWT_SECRET: TEST_AUTH_SECRET,
  });
  authorization = await bearer(["writer"]);
  lambdas = {
    http: await import("../src/profile-deps.js"),
    validator: await import("../src/profile-deps-validator.js"),
    results: await import("../src/profile-deps-results.js"),
  };
});

afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

describe("profile-deps Lambda handlers", () => {
  it("take a profile from the HTTP API through the validator and results handlers to valid", async () => {
    expect((await http("POST", "/packages", { name: "python", version: "3.11.4" })).status).toBe(201);
    expect(
      (await http("POST", "/packages", { name: "tool", version: "2.1", requires: ["python-3"] })).status,
    ).toBe(201);
    const created = await http("POST", "/profiles", { name: "tools", requests: ["tool"] });
    expect(created.body).toMatchObject({ revision: 1, status: "pending" });

    const changed = await nextDelivery("ProfileChanged");
    expect(changed.envelope["detail-type"]).toBe("ProfileChanged");
    expect(await lambdas.validator.handler(changed.envelope)).toBe("handled");

    const validated = await nextDelivery("ProfileValidated");
    // Delivered to the results handler as an SQS batch this time, the other delivery path.
    expect(
      await lambdas.results.handler({
        Records: [{ messageId: validated.messageId, body: validated.body }],
      }),
    ).toEqual({ batchItemFailures: [] });

    const profile = await http("GET", "/profiles/tools");
    expect(profile.body).toMatchObject({ status: "valid", revision: 1 });
    expect(
      profile.body.packages.map((p: { name: string; version: string }) => `${p.name}-${p.version}`),
    ).toEqual(["python-3.11.4", "tool-2.1"]);
  });

  it("drops a malformed delivery instead of retrying it forever", async () => {
    const result = await lambdas.validator.handler({
      Records: [
        { messageId: "not-json", body: "{" },
        {
          messageId: "bad-detail",
          body: JSON.stringify({
            source: "portside.profile-deps",
            "detail-type": "ProfileChanged",
            detail: {},
          }),
        },
      ],
    });
    expect(result).toEqual({ batchItemFailures: [] });
  });
});
