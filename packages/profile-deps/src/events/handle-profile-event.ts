import { type ProfileChanged, type ProfileValidated, parseProfileEvent } from "./profile-events.js";

/** The two ends of the loop: the validator consumes `ProfileChanged`, the service `ProfileValidated`. */
export interface ProfileEventHandlers {
  validator?: {
    /** Resolves the revision a `ProfileChanged` names and publishes the result. */
    handle(event: ProfileChanged): Promise<unknown>;
  };
  service?: {
    /** Applies a `ProfileValidated` result to the revision it was computed for. */
    applyValidation(event: ProfileValidated): Promise<unknown>;
  };
}

/**
 * One entry point for every delivery path (in-process bus, EventBridge-to-Lambda, SQS):
 * parses `{ type, detail }` and hands it to whichever side handles it. Unknown types, and
 * types no handler here serves, are ignored and reported as such.
 */
export function createProfileEventHandler(handlers: ProfileEventHandlers) {
  return async (type: string, detail: unknown): Promise<"handled" | "ignored"> => {
    const event = parseProfileEvent(type, detail);
    if (event === null) return "ignored";
    if (event.type === "ProfileChanged") {
      if (!handlers.validator) return "ignored";
      await handlers.validator.handle(event.detail);
      return "handled";
    }
    if (!handlers.service) return "ignored";
    await handlers.service.applyValidation(event.detail);
    return "handled";
  };
}

/** Handles one profile event: validates on `ProfileChanged`, applies on `ProfileValidated`. */
export type ProfileEventHandler = ReturnType<typeof createProfileEventHandler>;
