// The SQS engine must not lose a message when sends race deletes (moto's does: its delete_message
// rebuilds the queue's list outside the lock its sends take). The recorder's exactly-once tests
// rely on this, so it is checked here on whatever engine AWS_ENDPOINT_URL_SQS names.
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const sqs = new SQSClient(awsClientConfig("sqs"));
const SENDERS = 20;
const DELETERS = 20;
const PER_SENDER = 50;

it("loses no message under 20 concurrent senders and 20 concurrent deleters", async () => {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName("no-loss"), Attributes: { VisibilityTimeout: "60" } }),
  );
  const sent = new Set<string>();
  const received = new Set<string>();
  let sending = true;
  try {
    const senders = Array.from({ length: SENDERS }, async (_, s) => {
      for (let i = 0; i < PER_SENDER; i++) {
        const body = `${s}-${i}`;
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
        sent.add(body);
      }
    });
    // A deleter stops at the first empty receive after the last send: nothing is left to come.
    const deleters = Array.from({ length: DELETERS }, async () => {
      for (;;) {
        const sendersDone = !sending;
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        if (Messages.length === 0 && sendersDone) return;
        for (const message of Messages) {
          received.add(message.Body!);
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      }
    });
    await Promise.all(senders);
    sending = false;
    await Promise.all(deleters);

    expect(sent.size).toBe(SENDERS * PER_SENDER);
    expect([...sent].filter((body) => !received.has(body))).toEqual([]);
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }
}, 60_000);
