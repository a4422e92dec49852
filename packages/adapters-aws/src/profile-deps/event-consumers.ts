import {
  createProfileEventHandler,
  InvalidProfileEventError,
  type ProfileEventHandlers,
} from "@portside/profile-deps";

/** The envelope EventBridge delivers to a Lambda target, and writes as the body of an SQS target's message. */
export interface EventBridgeEnvelope {
  "detail-type": string;
  source: string;
  detail: unknown;
  id?: string;
  time?: string;
}

/** Checks the envelope fields this consumer reads; returns what is wrong, or `null`. */
function envelopeProblem(raw: unknown): string | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "not an object";
  const envelope = raw as Record<string, unknown>;
  for (const key of ["detail-type", "source"] as const) {
    if (typeof envelope[key] !== "string" || envelope[key] === "")
      return `${key}: expected a non-empty string`;
  }
  if (!("detail" in envelope)) return "detail: missing";
  return null;
}

/** What one delivered profile event came to. */
export type ProfileDelivery = "handled" | "ignored" | "rejected";

export interface ProfileEventConsumerOptions extends ProfileEventHandlers {
  /** Only events from this source are handled (default `portside.profile-deps`). */
  source?: string;
  /** A message that can never be handled (malformed envelope or detail): reported, not retried. */
  onRejected?: (error: Error, raw: unknown) => void;
}

function dispatcher(options: ProfileEventConsumerOptions) {
  const handle = createProfileEventHandler(options);
  const source = options.source ?? "portside.profile-deps";
  const onRejected =
    options.onRejected ??
    ((error: Error) => console.error(`[profile-deps] rejected event: ${error.message}`));
  return async (raw: unknown): Promise<ProfileDelivery> => {
    const problem = envelopeProblem(raw);
    if (problem !== null) {
      onRejected(new Error(`Not an EventBridge event: ${problem}`), raw);
      return "rejected";
    }
    const envelope = raw as EventBridgeEnvelope;
    if (envelope.source !== source) return "ignored";
    try {
      return await handle(envelope["detail-type"], envelope.detail);
    } catch (error) {
      if (error instanceof InvalidProfileEventError) {
        onRejected(error, raw);
        return "rejected";
      }
      throw error;
    }
  };
}

/**
 * Lambda handler for an EventBridge rule targeting a function: `ProfileChanged` goes to the
 * validator, `ProfileValidated` to the service (pass either or both). A failure throws, so
 * EventBridge retries the delivery.
 */
export function createProfileEventLambdaHandler(options: ProfileEventConsumerOptions) {
  const dispatch = dispatcher(options);
  return async (event: EventBridgeEnvelope): Promise<ProfileDelivery> => dispatch(event);
}

/** One received SQS message, in the shape both the generic consumer and Lambda's SQS event carry. */
export interface QueuedMessage {
  id: string;
  body: string;
}

/**
 * Handles a batch of SQS messages whose bodies are EventBridge envelopes (a rule targeting a
 * queue). Returns the ids to retry: those whose handling threw. Malformed ones are reported
 * through `onRejected` and dropped, since a retry cannot fix them.
 *
 * Plug it into the generic consumer:
 * `createSqsConsumer({ client, queueUrl, handler: createProfileEventSqsHandler({ validator }) })`.
 */
export function createProfileEventSqsHandler(options: ProfileEventConsumerOptions) {
  const dispatch = dispatcher(options);
  const onRejected =
    options.onRejected ??
    ((error: Error) => console.error(`[profile-deps] rejected message: ${error.message}`));
  return async (messages: readonly QueuedMessage[]): Promise<{ failed: string[] }> => {
    const failed: string[] = [];
    for (const message of messages) {
      let body: unknown;
      try {
        body = JSON.parse(message.body);
      } catch (error) {
        onRejected(new Error(`Message ${message.id} is not JSON`, { cause: error }), message.body);
        continue;
      }
      try {
        await dispatch(body);
      } catch (error) {
        console.error(`[profile-deps] message ${message.id} failed, to be retried:`, error);
        failed.push(message.id);
      }
    }
    return { failed };
  };
}

/** Lambda's SQS event, as far as this handler reads it. */
export interface SqsLambdaEvent {
  Records: { messageId: string; body: string }[];
}

/** Lambda handler for an SQS event source, reporting partial batch failures (`ReportBatchItemFailures`). */
export function createProfileEventSqsLambdaHandler(options: ProfileEventConsumerOptions) {
  const handle = createProfileEventSqsHandler(options);
  return async (event: SqsLambdaEvent) => {
    const { failed } = await handle(event.Records.map((r) => ({ id: r.messageId, body: r.body })));
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
