import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const config = awsClientConfig();
const events = new EventBridgeClient(config);
const sqs = new SQSClient(config);

it("delivers an event matched by a rule to its SQS target", async () => {
  const EventBusName = uniqueName("smoke-bus");
  await events.send(new CreateEventBusCommand({ Name: EventBusName }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName("smoke-target") }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await events.send(
    new PutRuleCommand({
      Name: "smoke-rule",
      EventBusName,
      EventPattern: JSON.stringify({ source: ["portside.smoke"], "detail-type": ["Ping"] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: "smoke-rule",
      EventBusName,
      Targets: [{ Id: "q", Arn: Attributes!.QueueArn }],
    }),
  );
  const put = await events.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName, Source: "portside.smoke", DetailType: "Ping", Detail: JSON.stringify({ n: 1 }) },
        { EventBusName, Source: "portside.other", DetailType: "Ping", Detail: JSON.stringify({ n: 2 }) },
      ],
    }),
  );
  expect(put.FailedEntryCount).toBe(0);
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
  );
  expect(Messages).toHaveLength(1);
  const delivered = JSON.parse(Messages[0]!.Body!);
  expect(delivered).toMatchObject({ source: "portside.smoke", "detail-type": "Ping", detail: { n: 1 } });
});
