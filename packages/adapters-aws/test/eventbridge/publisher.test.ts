import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import {
  batchEntries,
  createEventBridgePublisher,
  EventPublishError,
} from "@portside/adapters-aws/eventbridge";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const config = awsClientConfig();
const events = new EventBridgeClient(config);
const sqs = new SQSClient(config);
const eventBusName = uniqueName("eb-publisher");
let queueUrl = "";

async function drain(expected: number): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (let attempt = 0; attempt < 10 && bodies.length < expected; attempt++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) continue;
    bodies.push(...Messages.map((m) => JSON.parse(m.Body!) as Record<string, unknown>));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return bodies;
}

beforeAll(async () => {
  await events.send(new CreateEventBusCommand({ Name: eventBusName }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("eb-publisher") }));
  queueUrl = queue.QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  await events.send(
    new PutRuleCommand({
      Name: "all-portside-test",
      EventBusName: eventBusName,
      EventPattern: JSON.stringify({ source: ["portside.test"] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: "all-portside-test",
      EventBusName: eventBusName,
      Targets: [{ Id: "queue", Arn: Attributes!.QueueArn }],
    }),
  );
});

describe("createEventBridgePublisher", () => {
  it("maps type and detail to detail-type and detail on the named bus and source", async () => {
    const publisher = createEventBridgePublisher({ client: events, eventBusName, source: "portside.test" });
    await publisher.publish({ type: "ThingHappened", detail: { id: "a", n: 1 } });
    const [delivered] = await drain(1);
    expect(delivered).toMatchObject({
      source: "portside.test",
      "detail-type": "ThingHappened",
      detail: { id: "a", n: 1 },
    });
  });

  it("publishes more than ten events in batches, all delivered", async () => {
    const publisher = createEventBridgePublisher({ client: events, eventBusName, source: "portside.test" });
    await publisher.publish(Array.from({ length: 23 }, (_, i) => ({ type: "Counted", detail: { i } })));
    const delivered = await drain(23);
    expect(delivered.map((d) => (d.detail as { i: number }).i).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 23 }, (_, i) => i),
    );
  });

  it("does nothing for an empty list", async () => {
    const publisher = createEventBridgePublisher({ client: events, eventBusName, source: "portside.test" });
    await expect(publisher.publish([])).resolves.toBeUndefined();
  });

  it("turns an unreachable bus into an EventPublishError, never an SDK error", async () => {
    const publisher = createEventBridgePublisher({
      client: events,
      eventBusName: uniqueName("missing-bus"),
      source: "portside.test",
    });
    const error = await publisher.publish({ type: "Lost", detail: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).code).toBe("EVENT_PUBLISH_FAILED");
    expect((error as EventPublishError).published).toBe(0);
  });

  it("refuses an event larger than EventBridge accepts before sending anything", async () => {
    const publisher = createEventBridgePublisher({ client: events, eventBusName, source: "portside.test" });
    const error = await publisher
      .publish([
        { type: "Small", detail: {} },
        { type: "Huge", detail: { blob: "x".repeat(300 * 1024) } },
      ])
      .catch((e: unknown) => e);
    expect((error as EventPublishError).code).toBe("EVENT_TOO_LARGE");
    expect(await drain(0)).toEqual([]);
  });
});

describe("batchEntries", () => {
  it("splits at ten entries and at 256 KiB, keeping order", () => {
    const small = Array.from({ length: 12 }, (_, i) => ({ DetailType: String(i), Detail: "{}" }));
    expect(batchEntries(small).map((b) => b.length)).toEqual([10, 2]);
    const big = Array.from({ length: 3 }, (_, i) => ({
      DetailType: String(i),
      Detail: "x".repeat(100 * 1024),
    }));
    const batches = batchEntries(big);
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
    expect(batches.flat().map((e) => e.DetailType)).toEqual(["0", "1", "2"]);
  });
});
