import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { createEventBridgePublisher } from "@portside/adapters-aws/eventbridge";
import {
  createDynamoPackageRepository,
  createDynamoProfileStore,
  createProfileEventSqsHandler,
  profileDepsTableDefinitions,
} from "@portside/adapters-aws/profile-deps";
import { createSqsConsumer, type SqsConsumer } from "@portside/adapters-aws/sqs";
import {
  type ApplyValidationOutcome,
  createProfileService,
  createProfileValidator,
  PROFILE_EVENT_SOURCE,
  type Profile,
  type ProfileService,
  type ProfileStore,
  type ProfileValidated,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const config = awsClientConfig();
const dynamo = new DynamoDBClient(awsClientConfig("dynamodb"));
const events = new EventBridgeClient(config);
const sqs = new SQSClient(config);
const prefix = uniqueName("loop");
const tables = tableNames(prefix);
const eventBusName = uniqueName("profile-bus");
const actor = { actor: "loop-test" };

let store: ProfileStore;
let service: ProfileService;
let consumers: SqsConsumer[] = [];
/** Every ProfileValidated the service side consumed from its queue, with what applying it did. */
const applied: { event: ProfileValidated; outcome: ApplyValidationOutcome }[] = [];

async function queueFor(rule: string, detailType: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(rule) }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await events.send(
    new PutRuleCommand({
      Name: rule,
      EventBusName: eventBusName,
      EventPattern: JSON.stringify({ source: [PROFILE_EVENT_SOURCE], "detail-type": [detailType] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: rule,
      EventBusName: eventBusName,
      Targets: [{ Id: "queue", Arn: Attributes!.QueueArn }],
    }),
  );
  return QueueUrl!;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

async function settled(name: string, revision: number): Promise<Profile> {
  const profile = await waitFor(
    `${name} revision ${revision} to be validated`,
    () => store.get(name),
    (p) => p?.revision === revision && p.status !== "pending",
  );
  return profile!;
}

const versionOf = (profile: Profile | undefined, name: string) =>
  profile?.packages?.find((p) => p.name === name)?.version;

beforeAll(async () => {
  await createTables(dynamo, profileDepsTableDefinitions(prefix));
  await events.send(new CreateEventBusCommand({ Name: eventBusName }));
  const changedQueue = await queueFor("profile-changed-to-validator", "ProfileChanged");
  const validatedQueue = await queueFor("profile-validated-to-service", "ProfileValidated");

  store = createDynamoProfileStore({ client: dynamo, tableName: tables.profiles });
  const repository = createDynamoPackageRepository({ client: dynamo, tableName: tables.packages });
  await repository.importDocument(sampleRepositoryDocument);
  const publisher = createEventBridgePublisher({
    client: events,
    eventBusName,
    source: PROFILE_EVENT_SOURCE,
  });
  service = createProfileService({ store, publisher });
  // The validator runs as its own consumer: it shares nothing with the service but the bus and the repository.
  const validator = createProfileValidator({ repository, publisher });

  const recordingService = {
    async applyValidation(event: ProfileValidated) {
      const outcome = await service.applyValidation(event);
      applied.push({ event, outcome });
      return outcome;
    },
  };
  consumers = [
    createSqsConsumer({
      client: sqs,
      queueUrl: changedQueue,
      waitTimeSeconds: 1,
      handler: createProfileEventSqsHandler({ validator }),
    }),
    createSqsConsumer({
      client: sqs,
      queueUrl: validatedQueue,
      waitTimeSeconds: 1,
      handler: createProfileEventSqsHandler({ service: recordingService }),
    }),
  ];
  for (const consumer of consumers) consumer.start();
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await deleteTables(dynamo, [tables.profiles, tables.packages]);
});

describe("the profile validation loop on DynamoDB, EventBridge and SQS", () => {
  it("stores an update in DynamoDB and brings it to valid with the resolved packages through both rules", async () => {
    await service.create({ name: "lighting", requests: ["maya-2023"], tags: ["show-a"] }, actor);
    await settled("lighting", 1);
    await service.update(
      "lighting",
      { expectedRevision: 1, requests: ["maya-2024", "usd"], tags: ["show-a"] },
      actor,
    );

    const doc = DynamoDBDocumentClient.from(dynamo);
    const { Item: stored } = await doc.send(
      new GetCommand({
        TableName: tables.profiles,
        Key: { pk: "lighting", sk: "REV#0000000002" },
        ConsistentRead: true,
      }),
    );
    expect(stored).toMatchObject({ revision: 2, requests: ["maya-2024", "usd"], updatedBy: "loop-test" });

    const profile = await settled("lighting", 2);
    expect(profile.status).toBe("valid");
    expect(profile.packages?.map((p) => `${p.name}-${p.version}[${p.variantIndex ?? ""}]`)).toEqual([
      "platform-windows[]",
      "python-3.10.13[]",
      "maya-2024.2[]",
      "openexr-3.2.1[]",
      "usd-23.11[0]",
    ]);
    const { Item: current } = await doc.send(
      new GetCommand({
        TableName: tables.profiles,
        Key: { pk: "lighting", sk: "CURRENT" },
        ConsistentRead: true,
      }),
    );
    expect(current).toMatchObject({ revision: 2, status: "valid" });
    expect((await service.lock("lighting")).packages).toContain("usd==23.11");
    expect(
      applied.some((a) => a.event.name === "lighting" && a.event.revision === 2 && a.outcome.applied),
    ).toBe(true);
  });

  it("ignores a stale result: revision 1's result arriving late never overwrites revision 2", async () => {
    await service.create({ name: "comp", requests: ["nuke-15"] }, actor);
    const first = await settled("comp", 1);
    expect(versionOf(first, "nuke")).toBe("15.0.1");
    const firstResult = applied.find((a) => a.event.name === "comp" && a.event.revision === 1)!.event;

    await service.update("comp", { expectedRevision: 1, requests: ["nuke-14"] }, actor);
    const second = await settled("comp", 2);
    expect(versionOf(second, "nuke")).toBe("14.0.5");

    // The revision-1 result is delivered again through the bus, after revision 2 was validated.
    const publisher = createEventBridgePublisher({
      client: events,
      eventBusName,
      source: PROFILE_EVENT_SOURCE,
    });
    const before = applied.length;
    await publisher.publish({ type: "ProfileValidated", detail: firstResult });
    // And a result for revision 2 computed for a validation that was since superseded.
    await publisher.publish({
      type: "ProfileValidated",
      detail: { ...firstResult, revision: 2, validationId: "superseded-validation" },
    });
    const late = await waitFor(
      "the late results to be consumed",
      async () => applied.slice(before).filter((a) => a.event.name === "comp"),
      (list) => list.length === 2,
    );
    expect(late.find((a) => a.event.validationId === "superseded-validation")?.outcome).toEqual({
      applied: false,
      reason: "stale",
    });
    const current = await service.get("comp");
    expect(current).toMatchObject({ revision: 2, status: "valid", validationId: second.validationId });
    expect(versionOf(current, "nuke")).toBe("14.0.5");
  });

  it("re-validates a child when its parent changes", async () => {
    await service.create({ name: "base", requests: ["python-3.10"] }, actor);
    await service.create({ name: "fx", parent: "base", requests: ["houdini"] }, actor);
    await settled("base", 1);
    const child = await settled("fx", 1);
    expect(child.status).toBe("valid");
    expect(versionOf(child, "houdini")).toBe("20.0.547");

    await service.update("base", { expectedRevision: 1, requests: ["python-3.9"] }, actor);
    const revalidated = await waitFor(
      "fx to be re-validated",
      () => store.get("fx"),
      (p) => p?.validationId !== child.validationId && p?.status !== "pending",
    );
    expect(revalidated).toMatchObject({
      revision: 1,
      status: "valid",
      effectiveRequest: ["python-3.9", "houdini"],
    });
    expect(versionOf(revalidated, "houdini")).toBe("19.5.773");
    expect(versionOf(revalidated, "python")).toBe("3.9.18");
  });
});
