import { randomUUID } from "node:crypto";
import {
  type EventPublisher,
  type ProfileChanged,
  type ProfileChangeKind,
  type ProfileEvent,
  ProfileEventType,
  type ProfileValidated,
  profileValidatedSchema,
} from "../events/profile-events.js";
import { type Clock, systemClock } from "./clock.js";
import { diffRevisions, type ProfileDiff } from "./diff.js";
import { computeEffectiveRequest, type EffectiveRequest } from "./effective-request.js";
import {
  InvalidProfileError,
  InvalidProfileEventError,
  ParentProfileNotFoundError,
  ProfileHasChildrenError,
  ProfileInheritanceCycleError,
  ProfileNotFoundError,
  ProfileRevisionConflictError,
  ProfileRevisionNotFoundError,
  ProfileStoreError,
  toIssues,
} from "./errors.js";
import { guardStore } from "./guarded-store.js";
import { lockOf, type ProfileLock } from "./lock.js";
import { type Profile, ProfileStatus, validationStateOf, withValidation } from "./profile.js";
import {
  type CreateProfileInput,
  createProfileInputSchema,
  parseProfileInput,
  profileNameSchema,
  type UpdateProfileInput,
  updateProfileInputSchema,
} from "./profile-input.js";
import type { ListProfilesQuery, ListRevisionsQuery, Page, ProfileStore } from "./profile-store.js";

/** Who makes a change; recorded as `createdBy` / `updatedBy`. */
export interface ActorContext {
  actor: string;
}

/** Options of `createProfileService`: the store, the publisher and the clock. */
export interface ProfileServiceOptions {
  store: ProfileStore;
  publisher: EventPublisher;
  clock?: Clock;
  /** Ids of validation requests; random UUIDs by default. */
  newId?: () => string;
  /**
   * Told when an event could not be published. The change stays saved; its status becomes
   * `error` (`VALIDATION_NOT_QUEUED`) until `revalidate` re-queues it. Default: console.error.
   */
  onPublishError?: (error: unknown, event: ProfileEvent) => void;
}

/** Status error code of a saved change whose `ProfileChanged` could not be published. */
export const VALIDATION_NOT_QUEUED = "VALIDATION_NOT_QUEUED";

/** Whether a validation result was applied, and why not. */
export interface ApplyValidationOutcome {
  applied: boolean;
  /** Why a result was not applied: its validation was superseded (a newer revision or re-queue). */
  reason?: "stale" | "not-found";
}

/** Creates, changes, reads and deletes profiles; applies validation results to the revision they were computed for. */
export interface ProfileService {
  /** Creates a profile at revision 1 and queues its validation. */
  create(input: CreateProfileInput, context: ActorContext): Promise<Profile>;
  /** Replaces the editable fields if the profile is still at `input.expectedRevision`. */
  update(name: string, input: UpdateProfileInput, context: ActorContext): Promise<Profile>;
  /**
   * Ends the profile with a tombstone revision; its history stays readable. Refused while
   * other profiles inherit from it.
   */
  delete(name: string, options?: { expectedRevision?: number; actor?: string }): Promise<void>;
  /** A profile's current revision. */
  get(name: string): Promise<Profile>;
  /** Profiles, a page at a time. */
  list(query?: ListProfilesQuery): Promise<Page<Profile>>;
  /** A profile's revisions, a page at a time. */
  history(name: string, query?: ListRevisionsQuery): Promise<Page<Profile>>;
  /** One revision of a profile. */
  getRevision(name: string, revision: number): Promise<Profile>;
  /** What changed in a profile between two revisions. */
  diff(name: string, from: number, to: number): Promise<ProfileDiff>;
  /** The lock of a valid revision (the current one by default). */
  lock(name: string, revision?: number): Promise<ProfileLock>;
  /** The request the current revision is validated with, computed from the chain as it is now. */
  effectiveRequest(name: string): Promise<string[]>;
  /** Re-queues validation of the current revision (and of every profile inheriting from it). */
  revalidate(name: string): Promise<Profile>;
  /** Applies a `ProfileValidated` result to the revision and validation it was computed for, never to a newer one. */
  applyValidation(event: ProfileValidated): Promise<ApplyValidationOutcome>;
}

const MAX_REQUEUE_ATTEMPTS = 5;

/** The profile service over a store, publishing each change. */
export function createProfileService(options: ProfileServiceOptions): ProfileService {
  const { publisher } = options;
  const store = guardStore(options.store);
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  const onPublishError =
    options.onPublishError ??
    ((error: unknown, event: ProfileEvent) =>
      console.error(`[profile-deps] could not publish ${event.type} for ${event.detail.name}:`, error));

  const requireProfile = async (name: string): Promise<Profile> => {
    const profile = await store.get(name);
    if (!profile) throw new ProfileNotFoundError(name);
    return profile;
  };

  const requireRevision = async (name: string, revision: number): Promise<Profile> => {
    const profile = await store.getRevision(name, revision);
    if (!profile) {
      const history = await store.listRevisions(name, { limit: 1 });
      if (history.items.length === 0) throw new ProfileNotFoundError(name);
      throw new ProfileRevisionNotFoundError(name, revision);
    }
    return profile;
  };

  /** Effective request for a write: a clash between this profile's own requests and its parent is refused. */
  const effectiveForWrite = async (draft: { name: string; requests: string[]; parent: string | null }) => {
    if (draft.parent === draft.name) throw new ProfileInheritanceCycleError([draft.name, draft.name]);
    if (draft.parent !== null && !(await store.get(draft.parent))) {
      throw new ParentProfileNotFoundError(draft.name, draft.parent);
    }
    const effective = await computeEffectiveRequest(draft, (n) => store.get(n));
    if (!effective.ok && effective.conflict.profile === draft.name) throw effective.conflict;
    return effective;
  };

  const changedEvent = (profile: Profile, change: ProfileChangeKind, effective: EffectiveRequest) => {
    const detail: ProfileChanged = {
      name: profile.name,
      revision: profile.revision,
      effectiveRequest: effective.request,
      validationId: profile.validationId,
      change,
    };
    if (!effective.ok) {
      detail.inheritanceConflict = {
        description: effective.conflict.message,
        requirements: [effective.conflict.inherited, effective.conflict.own],
      };
    }
    return { type: ProfileEventType.profileChanged, detail } as const;
  };

  /**
   * Publishes `ProfileChanged` for a saved change. If that fails, the change stays saved and
   * its status says validation was not queued, rather than pending forever.
   */
  const announce = async (profile: Profile, change: ProfileChangeKind, effective: EffectiveRequest) => {
    const event = changedEvent(profile, change, effective);
    try {
      await publisher.publish(event);
      return profile;
    } catch (error) {
      onPublishError(error, event);
      const state = validationStateOf(
        {
          status: "error",
          error: {
            code: VALIDATION_NOT_QUEUED,
            message: `Saved, but validation could not be queued (${(error as Error)?.message ?? error}); revalidate to retry`,
          },
          resolvedAt: clock.now().toISOString(),
        },
        profile.validationId,
        profile.effectiveRequest,
      );
      await store.setValidation(profile.name, profile.revision, profile.validationId, state);
      return withValidation(profile, state);
    }
  };

  const forEachChild = async (parent: string, visit: (child: Profile) => Promise<void>) => {
    let cursor: string | undefined;
    do {
      const page = await store.list({ parent, limit: 100, ...(cursor ? { cursor } : {}) });
      for (const child of page.items) await visit(child);
      cursor = page.nextCursor;
    } while (cursor);
  };

  /** Re-queues validation of every profile inheriting (directly or not) from `parent`. */
  const requeueDescendants = async (parent: string, seen = new Set<string>([parent])) => {
    await forEachChild(parent, async (child) => {
      if (seen.has(child.name)) return;
      seen.add(child.name);
      await requeue(child.name, "parent-changed");
      await requeueDescendants(child.name, seen);
    });
  };

  /** Gives the current revision a new validation id and effective request, status pending, and announces it. */
  const requeue = async (name: string, change: ProfileChangeKind): Promise<Profile | undefined> => {
    for (let attempt = 0; attempt < MAX_REQUEUE_ATTEMPTS; attempt++) {
      const current = await store.get(name);
      if (!current) return undefined;
      const effective = await computeEffectiveRequest(current, (n) => store.get(n));
      const state = {
        validationId: newId(),
        effectiveRequest: effective.request,
        status: ProfileStatus.pending,
      };
      if (await store.setValidation(name, current.revision, current.validationId, state)) {
        const { packages: _p, ephemerals: _ep, failure: _f, error: _e, resolvedAt: _r, ...rest } = current;
        const announced = await announce({ ...rest, ...state }, change, effective);
        // A revision saved meanwhile may have read the chain before it changed: re-queue that one too.
        if ((await store.get(name))?.revision === current.revision) return announced;
      }
    }
    throw new ProfileStoreError(`Could not re-queue validation of ${name}: it changed on every attempt`);
  };

  return {
    async create(input, { actor }) {
      const data = parseProfileInput(createProfileInputSchema, input);
      const effective = await effectiveForWrite(data);
      const now = clock.now().toISOString();
      const profile: Profile = {
        name: data.name,
        revision: 1,
        description: data.description,
        requests: data.requests,
        parent: data.parent,
        tags: data.tags,
        createdAt: now,
        createdBy: actor,
        updatedAt: now,
        updatedBy: actor,
        effectiveRequest: effective.request,
        validationId: newId(),
        status: ProfileStatus.pending,
      };
      const stored = await store.create(profile);
      return announce(stored, "created", effective);
    },

    async update(name, input, { actor }) {
      const data = parseProfileInput(updateProfileInputSchema, input);
      const current = await requireProfile(name);
      if (current.revision !== data.expectedRevision) {
        throw new ProfileRevisionConflictError(name, data.expectedRevision, current.revision);
      }
      const effective = await effectiveForWrite({ name, requests: data.requests, parent: data.parent });
      const profile: Profile = {
        name,
        revision: current.revision + 1,
        description: data.description,
        requests: data.requests,
        parent: data.parent,
        tags: data.tags,
        createdAt: current.createdAt,
        createdBy: current.createdBy,
        updatedAt: clock.now().toISOString(),
        updatedBy: actor,
        effectiveRequest: effective.request,
        validationId: newId(),
        status: ProfileStatus.pending,
      };
      await store.update(profile, data.expectedRevision);
      const announced = await announce(profile, "updated", effective);
      await requeueDescendants(name);
      return announced;
    },

    async delete(name, { expectedRevision, actor = "anonymous" } = {}) {
      const current = await requireProfile(name);
      const children = await store.list({ parent: name, limit: 20 });
      if (children.items.length > 0)
        throw new ProfileHasChildrenError(
          name,
          children.items.map((c) => c.name),
        );
      // The store checks again for children, atomically with the delete.
      await store.delete(name, expectedRevision, { updatedAt: clock.now().toISOString(), updatedBy: actor });
      const event = changedEvent(current, "deleted", { ok: true, request: current.effectiveRequest });
      await publisher.publish(event).catch((error: unknown) => onPublishError(error, event));
    },

    get: requireProfile,

    list: (query) => store.list(query),

    async history(name, query) {
      const page = await store.listRevisions(name, query);
      if (page.items.length === 0 && !query?.cursor) await requireProfile(name);
      return page;
    },

    getRevision: requireRevision,

    async diff(name, from, to) {
      const [a, b] = await Promise.all([requireRevision(name, from), requireRevision(name, to)]);
      return diffRevisions(a, b);
    },

    async lock(name, revision) {
      const profile =
        revision === undefined ? await requireProfile(name) : await requireRevision(name, revision);
      return lockOf(profile);
    },

    async effectiveRequest(name) {
      const profile = await requireProfile(name);
      return (await computeEffectiveRequest(profile, (n) => store.get(n))).request;
    },

    async revalidate(name) {
      const profile = await requeue(name, "revalidate");
      if (!profile) throw new ProfileNotFoundError(name);
      await requeueDescendants(name);
      return profile;
    },

    async applyValidation(event) {
      const parsed = profileValidatedSchema.safeParse(event);
      if (!parsed.success) {
        throw new InvalidProfileEventError("ProfileValidated", toIssues(parsed.error.issues), {
          cause: parsed.error,
        });
      }
      const { name, revision, validationId, effectiveRequest, result } = parsed.data;
      const target = await store.getRevision(name, revision);
      if (!target) return { applied: false, reason: "not-found" };
      const state = validationStateOf(result, validationId, effectiveRequest);
      const applied = await store.setValidation(name, revision, validationId, state);
      return applied ? { applied } : { applied, reason: "stale" };
    },
  };
}

/** Parses a profile name from a path or query, as the service expects it. */
export function parseProfileName(name: string): string {
  const parsed = profileNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new InvalidProfileError(toIssues(parsed.error.issues).map((i) => ({ ...i, path: "name" })));
  }
  return parsed.data;
}
