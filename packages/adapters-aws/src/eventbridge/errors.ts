import { AwsAdapterError } from "../errors.js";

/** The `code` of every EventBridge adapter error. */
export const EventBridgeErrorCode = {
  publishFailed: "EVENT_PUBLISH_FAILED",
  eventTooLarge: "EVENT_TOO_LARGE",
} as const;

/** One of the codes above. */
export type EventBridgeErrorCode = (typeof EventBridgeErrorCode)[keyof typeof EventBridgeErrorCode];

/** One entry EventBridge refused, with the type of the event it carried. */
export interface FailedEventEntry {
  type: string;
  errorCode: string;
  errorMessage: string;
}

/**
 * An event, or a batch of them, that did not reach the bus. `failed` lists the entries
 * EventBridge rejected; `published` how many of the call's events it accepted before
 * (or beside) the failure, so a caller can tell a partial publish from a total one.
 */
export class EventPublishError extends AwsAdapterError<EventBridgeErrorCode> {
  override readonly name = "EventPublishError";
  readonly failed: readonly FailedEventEntry[];
  readonly published: number;

  constructor(
    code: EventBridgeErrorCode,
    message: string,
    options: { failed?: readonly FailedEventEntry[]; published?: number; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.failed = options.failed ?? [];
    this.published = options.published ?? 0;
  }
}
