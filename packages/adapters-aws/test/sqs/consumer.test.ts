import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import {
  createSqsConsumer,
  createSqsProducer,
  type SqsError,
  type SqsMessage,
} from "@portside/adapters-aws/sqs";
import { describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new SQSClient(awsClientConfig("sqs"));

async function createQueue(attributes: Record<string, string> = {}) {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: uniqueName("consumer"), Attributes: attributes }),
  );
  return QueueUrl!;
}

async function queueDepth(queueUrl: string) {
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    invisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("SQS producer", () => {
  it("sends more than ten messages with attributes, in batches, returning every message id", async () => {
    const queueUrl = await createQueue();
    const producer = createSqsProducer({ client, queueUrl });
    const ids = await producer.send(
      Array.from({ length: 23 }, (_, i) => ({ body: `m${i}`, attributes: { n: String(i) } })),
    );
    expect(ids).toHaveLength(23);
    expect(new Set(ids).size).toBe(23);
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    expect(Messages[0]?.MessageAttributes?.n?.StringValue).toBe(Messages[0]?.Body?.slice(1));
  });

  it("maps a refused send to an SqsError naming the queue", async () => {
    const producer = createSqsProducer({ client, queueUrl: `${await createQueue()}-missing` });
    await expect(producer.send("x")).rejects.toMatchObject({ name: "SqsError", code: "SQS_SEND_FAILED" });
  });
});

describe("SQS consumer", () => {
  it("hands every message to the handler once and deletes those it did not report as failed", async () => {
    const queueUrl = await createQueue();
    await createSqsProducer({ client, queueUrl }).send(Array.from({ length: 30 }, (_, i) => `m${i}`));
    const seen: string[] = [];
    const consumer = createSqsConsumer({
      client,
      queueUrl,
      waitTimeSeconds: 1,
      concurrency: 3,
      handler: async (messages) => {
        seen.push(...messages.map((m) => m.body));
        return { failed: messages.filter((m) => m.body === "m7").map((m) => m.id) };
      },
    });
    consumer.start();
    await waitFor(() => seen.length >= 30);
    await consumer.stop();
    expect([...seen].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
    // m7 was left on the queue, invisible until its timeout; everything else is gone.
    expect(await queueDepth(queueUrl)).toEqual({ visible: 0, invisible: 1 });
  });

  it("redelivers failed messages after retryDelaySeconds, with a growing receive count", async () => {
    const queueUrl = await createQueue();
    await createSqsProducer({ client, queueUrl }).send("flaky");
    const counts: number[] = [];
    const consumer = createSqsConsumer({
      client,
      queueUrl,
      waitTimeSeconds: 1,
      retryDelaySeconds: 0,
      handler: async ([message]) => {
        counts.push(message!.receiveCount);
        if (counts.length < 3) throw new Error("not yet");
      },
      onError: () => {},
    });
    consumer.start();
    await waitFor(() => counts.length >= 3);
    await consumer.stop();
    expect(counts).toEqual([1, 2, 3]);
    expect(await queueDepth(queueUrl)).toEqual({ visible: 0, invisible: 0 });
  });

  it("accumulates receives into one batch larger than ten within the batching window", async () => {
    const queueUrl = await createQueue();
    await createSqsProducer({ client, queueUrl }).send(Array.from({ length: 35 }, (_, i) => `m${i}`));
    const sizes: number[] = [];
    const consumer = createSqsConsumer({
      client,
      queueUrl,
      batchSize: 35,
      batchWindowMs: 5000,
      waitTimeSeconds: 1,
      handler: async (messages) => {
        sizes.push(messages.length);
      },
    });
    consumer.start();
    await waitFor(() => sizes.length > 0);
    await consumer.stop();
    expect(sizes[0]).toBe(35);
  });

  it("never runs more batches at once than its concurrency", async () => {
    const queueUrl = await createQueue();
    await createSqsProducer({ client, queueUrl }).send(Array.from({ length: 12 }, (_, i) => `m${i}`));
    let running = 0;
    let peak = 0;
    let handled = 0;
    const consumer = createSqsConsumer({
      client,
      queueUrl,
      batchSize: 1,
      concurrency: 2,
      waitTimeSeconds: 1,
      handler: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 100));
        running--;
        handled++;
      },
    });
    consumer.start();
    await waitFor(() => handled >= 12);
    await consumer.stop();
    expect(peak).toBe(2);
  });

  it("keeps a slow batch invisible past its visibility timeout so no one else receives it", async () => {
    const queueUrl = await createQueue();
    await createSqsProducer({ client, queueUrl }).send("slow");
    let release!: () => void;
    const done = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    const consumer = createSqsConsumer({
      client,
      queueUrl,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 2,
      handler: async () => {
        started = true;
        await done;
      },
    });
    consumer.start();
    await waitFor(() => started);
    await new Promise((r) => setTimeout(r, 4500));
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    expect(Messages).toHaveLength(0);
    release();
    await consumer.stop();
    expect(await queueDepth(queueUrl)).toEqual({ visible: 0, invisible: 0 });
  }, 20_000);

  it("on stop, stops receiving but finishes and deletes the batch in flight", async () => {
    const queueUrl = await createQueue();
    await createSqsProducer({ client, queueUrl }).send("in-flight");
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    const finished: SqsMessage[] = [];
    const consumer = createSqsConsumer({
      client,
      queueUrl,
      waitTimeSeconds: 20,
      handler: async (messages, { signal }) => {
        entered();
        await new Promise((r) => setTimeout(r, 300));
        expect(signal.aborted).toBe(true);
        finished.push(...messages);
      },
    });
    consumer.start();
    await inHandler;
    const stopped = Date.now();
    await consumer.stop();
    expect(Date.now() - stopped).toBeLessThan(5000);
    expect(finished.map((m) => m.body)).toEqual(["in-flight"]);
    expect(consumer.running).toBe(false);
    expect(await queueDepth(queueUrl)).toEqual({ visible: 0, invisible: 0 });
    await createSqsProducer({ client, queueUrl }).send("after-stop");
    await new Promise((r) => setTimeout(r, 300));
    expect((await queueDepth(queueUrl)).visible).toBe(1);
  });

  it("survives receive failures, reporting them, and keeps polling", async () => {
    const errors: SqsError[] = [];
    const consumer = createSqsConsumer({
      client,
      queueUrl: `${await createQueue()}-missing`,
      waitTimeSeconds: 1,
      errorBackoffMs: 50,
      handler: async () => {},
      onError: (e) => errors.push(e),
    });
    consumer.start();
    await waitFor(() => errors.length >= 2);
    await consumer.stop();
    expect(errors[0]).toMatchObject({ name: "SqsError", code: "SQS_RECEIVE_FAILED" });
  });
});
