import type { SqsBatchResponse, SqsEventLike } from "@portside/event-recorder";
import { oncePerInstance } from "../runtime/once-per-instance.js";
import { parseDomainConfig } from "../runtime/service-config.js";
import { composeEventRecorder } from "./compose.js";
import { eventRecorderConfigSchema } from "./config.js";

/**
 * The handler of a Lambda function fed by the audit queue (an SQS event source mapping with
 * `ReportBatchItemFailures`): the recorder is composed from the environment on the first batch
 * and kept for the instance. There is no demo mode on Lambda: it needs a database and a key.
 */
export function eventRecorderSqsLambda(
  env: Readonly<Record<string, string | undefined>> = process.env,
): (event: SqsEventLike) => Promise<SqsBatchResponse> {
  const recorder = oncePerInstance(() =>
    composeEventRecorder(parseDomainConfig({ configSchema: eventRecorderConfigSchema }, env)),
  );
  return async (event) => (await recorder()).handleSqsEvent(event);
}
