import { type ComposedService, composeServices, loadConfig } from "@portside-examples/services";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

/** What the event-recorder composition adds to a `ComposedService` (see examples/services). */
type RecorderService = ComposedService & { handleSqsEvent(event: SQSEvent): Promise<SQSBatchResponse> };

let composed: Promise<RecorderService> | undefined;

/** Composed once per container: keys are fetched (and KMS-decrypted) once, the pool is reused. */
function service(): Promise<RecorderService> {
  composed ??= composeServices(loadConfig(), ["event-recorder"])
    .then(([s]) => s as RecorderService)
    .catch((error: unknown) => {
      composed = undefined;
      throw error;
    });
  return composed;
}

/**
 * SQS event source mapping with `ReportBatchItemFailures`: recorded, duplicate and quarantined
 * messages are acknowledged; only transient failures (database or keys unavailable) come back.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return (await service()).handleSqsEvent(event);
}

/** The recorder's HTTP API (`/events`, `/quarantine`) behind API Gateway or a function URL. */
export const httpHandler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
