import type { Profile, ProfileStatus, ProfileValidationState } from "./profile.js";

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface ListProfilesQuery {
  tag?: string;
  status?: ProfileStatus;
  /** Only profiles whose parent is this profile. */
  parent?: string;
  /** Page size (default 50, at most 500). */
  limit?: number;
  cursor?: string;
}

export interface ListRevisionsQuery {
  limit?: number;
  cursor?: string;
}

/**
 * Where profiles and every revision of them live. Profiles list in name order,
 * revisions oldest first. Implementations must make `create`, `update` and
 * `setValidation` atomic: a failed condition writes nothing.
 */
export interface ProfileStore {
  /**
   * Stores revision 1. Throws `ProfileExistsError` when the name is taken and
   * `ParentProfileNotFoundError` when `parent` does not exist at that moment (checked atomically).
   */
  create(profile: Profile): Promise<void>;
  /**
   * Stores `profile` (revision `expectedRevision + 1`) as the new current revision.
   * Throws `ProfileRevisionConflictError` when the current revision is not `expectedRevision`
   * and `ProfileNotFoundError` when the profile does not exist; `ParentProfileNotFoundError`
   * as for `create`.
   */
  update(profile: Profile, expectedRevision: number): Promise<void>;
  /** The current revision. */
  get(name: string): Promise<Profile | undefined>;
  getRevision(name: string, revision: number): Promise<Profile | undefined>;
  listRevisions(name: string, query?: ListRevisionsQuery): Promise<Page<Profile>>;
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
   * Deletes the profile and all its revisions if its current revision is `expectedRevision`
   * (any when omitted). Throws `ProfileRevisionConflictError` or `ProfileNotFoundError`.
   */
  delete(name: string, expectedRevision?: number): Promise<void>;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

/** Cursors are opaque to callers: the last key of the page, base64url-encoded. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  return Buffer.from(cursor, "base64url").toString("utf8");
}
