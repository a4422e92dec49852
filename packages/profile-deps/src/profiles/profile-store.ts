import type { Profile, ProfileStatus, ProfileValidationState } from "./profile.js";

/** One page of results and the cursor of the next. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Which profiles to list, and how many. */
export interface ListProfilesQuery {
  tag?: string;
  status?: ProfileStatus;
  /** Only profiles whose parent is this profile. */
  parent?: string;
  /** Page size (default 50, at most 500). */
  limit?: number;
  cursor?: string;
}

/** Which revisions of a profile to list, and how many. */
export interface ListRevisionsQuery {
  limit?: number;
  cursor?: string;
}

/** Who deleted a profile and when: the tombstone revision's `updatedBy` / `updatedAt`. */
export interface DeletionStamp {
  updatedAt: string;
  updatedBy: string;
}

/**
 * Where profiles and every revision of them live. Profiles list in name order,
 * revisions oldest first. Implementations must make `create`, `update`, `delete` and
 * `setValidation` atomic: a failed condition writes nothing.
 *
 * Deleting keeps the history: it writes a tombstone revision (`deleted: true`, one
 * revision on) in the same atomic step that ends the profile. `get`, `list` and `update`
 * then see no profile; `getRevision` and `listRevisions` still read every revision.
 * Creating the name again continues the numbering after the tombstone, so a
 * `(name, revision)` pair always means one revision.
 */
export interface ProfileStore {
  /**
   * Stores the first revision of a name: 1, or the revision after a deleted profile's
   * tombstone (`profile.revision` is replaced). Returns what was stored. Throws
   * `ProfileExistsError` when the name is taken and `ParentProfileNotFoundError` when
   * `parent` does not exist at that moment (checked atomically).
   */
  create(profile: Profile): Promise<Profile>;
  /**
   * Stores `profile` (revision `expectedRevision + 1`) as the new current revision.
   * Throws `ProfileRevisionConflictError` when the current revision is not `expectedRevision`
   * and `ProfileNotFoundError` when the profile does not exist; `ParentProfileNotFoundError`
   * as for `create`.
   */
  update(profile: Profile, expectedRevision: number): Promise<void>;
  /** The current revision. */
  get(name: string): Promise<Profile | undefined>;
  /** One revision of a profile, or undefined. */
  getRevision(name: string, revision: number): Promise<Profile | undefined>;
  /** A profile's revisions, a page at a time. */
  listRevisions(name: string, query?: ListRevisionsQuery): Promise<Page<Profile>>;
  /** Current profiles, a page at a time. */
  list(query?: ListProfilesQuery): Promise<Page<Profile>>;
  /**
   * Replaces the validation fields of one revision if its `validationId` is still
   * `expectedValidationId`; returns whether it did. Leaves every other field as is.
   */
  setValidation(
    name: string,
    revision: number,
    expectedValidationId: string,
    state: ProfileValidationState,
  ): Promise<boolean>;
  /**
   * Ends the profile with a tombstone revision if its current revision is `expectedRevision`
   * (any when omitted) and no profile has it as parent, checked atomically with the write: a
   * child created at the same moment and the delete cannot both succeed. Throws
   * `ProfileRevisionConflictError`, `ProfileNotFoundError` or `ProfileHasChildrenError`.
   */
  delete(name: string, expectedRevision: number | undefined, stamp: DeletionStamp): Promise<void>;
}

/** The page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page a store returns. */
export const MAX_PAGE_SIZE = 500;

/** A requested page size within the bounds. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

/** Cursors are opaque to callers: the last key of the page, base64url-encoded. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), "utf8").toString("base64url");
}

/** Reads a page cursor, refusing one that is not ours. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  return Buffer.from(cursor, "base64url").toString("utf8");
}
