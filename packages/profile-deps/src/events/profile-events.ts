import { z } from "zod";
import { InvalidProfileEventError, toIssues } from "../profiles/errors.js";
import { validationResultSchema } from "../profiles/profile.js";

/** EventBridge `source` of profile events. */
export const PROFILE_EVENT_SOURCE = "portside.profile-deps";

/** The types of the events profiles publish. */
export const ProfileEventType = {
  profileChanged: "ProfileChanged",
  profileValidated: "ProfileValidated",
} as const;

/** One of the types of `ProfileEventType`. */
export type ProfileEventType = (typeof ProfileEventType)[keyof typeof ProfileEventType];

/** What changed a profile. */
export const ProfileChangeKind = {
  created: "created",
  updated: "updated",
  /** An ancestor changed: same revision, new effective request. */
  parentChanged: "parent-changed",
  deleted: "deleted",
  /** Validation asked for again (e.g. packages were published since). */
  revalidate: "revalidate",
} as const;

/** One of the kinds of `ProfileChangeKind`. */
export type ProfileChangeKind = (typeof ProfileChangeKind)[keyof typeof ProfileChangeKind];

/** The schema of a `ProfileChanged` event. */
export const profileChangedSchema = z.object({
  name: z.string().min(1),
  revision: z.number().int().positive(),
  effectiveRequest: z.array(z.string()),
  /** Identifies this validation request; the result must carry it back. */
  validationId: z.string().min(1),
  change: z.enum(["created", "updated", "parent-changed", "deleted", "revalidate"]),
  /** When the effective request could not be formed (an inherited clash), why; nothing to resolve. */
  inheritanceConflict: z.object({ description: z.string(), requirements: z.array(z.string()) }).optional(),
});

/** The schema of a `ProfileValidated` event. */
export const profileValidatedSchema = z.object({
  name: z.string().min(1),
  revision: z.number().int().positive(),
  validationId: z.string().min(1),
  effectiveRequest: z.array(z.string()),
  result: validationResultSchema,
});

/** Published when a profile changes: its name, revision and what changed. */
export type ProfileChanged = z.infer<typeof profileChangedSchema>;
/** Published when a profile revision was resolved: the revision and the result. */
export type ProfileValidated = z.infer<typeof profileValidatedSchema>;

/** Any event profiles publish. */
export type ProfileEvent =
  | { type: typeof ProfileEventType.profileChanged; detail: ProfileChanged }
  | { type: typeof ProfileEventType.profileValidated; detail: ProfileValidated };

/**
 * Where profile events go: the in-process bus, EventBridge (`createEventBridgePublisher`
 * from `@portside/adapters-aws/eventbridge` satisfies it), or anything shaped alike.
 */
export interface EventPublisher {
  /** Publishes one event or a list. */
  publish(event: ProfileEvent): Promise<void>;
}

/**
 * Parses an event that crossed a boundary (a queue message, an EventBridge envelope's
 * `detail-type` and `detail`). Returns `null` for a type this package does not know.
 */
export function parseProfileEvent(type: string, detail: unknown): ProfileEvent | null {
  const schema =
    type === ProfileEventType.profileChanged
      ? profileChangedSchema
      : type === ProfileEventType.profileValidated
        ? profileValidatedSchema
        : null;
  if (schema === null) return null;
  const parsed = schema.safeParse(detail);
  if (!parsed.success)
    throw new InvalidProfileEventError(type, toIssues(parsed.error.issues), { cause: parsed.error });
  return { type, detail: parsed.data } as ProfileEvent;
}
