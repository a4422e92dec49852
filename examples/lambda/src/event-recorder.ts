import { oncePerInstance } from "@portside/service-kit";
import { eventRecorderSqsLambda } from "@portside/service-kit/event-recorder";
import { composeServices, loadConfig } from "@portside-examples/services";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

const recordBatch = eventRecorderSqsLambda();

/**
 * SQS event source mapping with `ReportBatchItemFailures`: recorded, duplicate and quarantined
 * messages are acknowledged; only transient failures (database or keys unavailable) come back.
 * Composed once per instance: keys are fetched (and KMS-decrypted) once, the pool is reused.
 */
export function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return recordBatch({
    Records: event.Records.map((record) => ({
      messageId: record.messageId,
      body: record.body,
      attributes: { ...record.attributes },
      eventSourceARN: record.eventSourceARN,
    })),
  });
}

const service = oncePerInstance(async () => (await composeServices(loadConfig(), ["event-recorder"]))[0]!);

/**
 * The recorder's HTTP API (`/events`, `/quarantine`) behind API Gateway or a function URL.
 * Without a queue URL, `POST /events` records the body in the request (Lambda runs no poller).
 */
export const httpHandler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
