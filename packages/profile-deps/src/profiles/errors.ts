import { ProfileDepsError, type ProfileDepsErrorOptions } from "../errors.js";
import { ProfileErrorCode } from "./error-codes.js";

export { ProfileErrorCode } from "./error-codes.js";

/** One problem of a profile input, with the path of the field it concerns. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `requests.2`. */
  path: string;
  message: string;
}

/** Base of the profile errors; `code` is one of `ProfileErrorCode`. */
export class ProfileError extends ProfileDepsError {
  override readonly name: string = "ProfileError";

  constructor(code: ProfileErrorCode, message: string, options: ProfileDepsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A profile input failed validation (bad field, unparsable request). Maps to 400. */
export class InvalidProfileError extends ProfileError {
  override readonly name = "InvalidProfileError";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], options: ProfileDepsErrorOptions = {}) {
    const first = issues[0];
    super(
      ProfileErrorCode.invalidProfile,
      first ? `Invalid profile: ${first.path ? `${first.path}: ` : ""}${first.message}` : "Invalid profile",
      { ...options, details: { issues, ...options.details } },
    );
    this.issues = issues;
  }
}

export class ProfileNotFoundError extends ProfileError {
  override readonly name = "ProfileNotFoundError";
  readonly profile: string;

  constructor(profile: string) {
    super(ProfileErrorCode.profileNotFound, `Profile not found: ${profile}`, { details: { name: profile } });
    this.profile = profile;
  }
}

export class ProfileRevisionNotFoundError extends ProfileError {
  override readonly name = "ProfileRevisionNotFoundError";

  constructor(
    readonly profile: string,
    readonly revision: number,
  ) {
    super(ProfileErrorCode.revisionNotFound, `Profile ${profile} has no revision ${revision}`, {
      details: { name: profile, revision },
    });
  }
}

export class ProfileExistsError extends ProfileError {
  override readonly name = "ProfileExistsError";

  constructor(readonly profile: string) {
    super(ProfileErrorCode.profileExists, `Profile already exists: ${profile}`, {
      details: { name: profile },
    });
  }
}

/** An optimistic update named a revision that is no longer the current one. Maps to 409. */
export class ProfileRevisionConflictError extends ProfileError {
  override readonly name = "ProfileRevisionConflictError";

  constructor(
    readonly profile: string,
    readonly expectedRevision: number,
    readonly currentRevision: number | null,
  ) {
    super(
      ProfileErrorCode.revisionConflict,
      `Profile ${profile} is at revision ${currentRevision ?? "(deleted)"}, not ${expectedRevision}`,
      { details: { name: profile, expectedRevision, currentRevision } },
    );
  }
}

export class ProfileHasChildrenError extends ProfileError {
  override readonly name = "ProfileHasChildrenError";

  constructor(
    readonly profile: string,
    readonly children: readonly string[],
  ) {
    super(
      ProfileErrorCode.hasChildren,
      children.length > 0
        ? `Profile ${profile} cannot be deleted while profiles inherit from it: ${children.join(", ")}`
        : // A store that counts children may not know their names yet (an index lags its writes).
          `Profile ${profile} cannot be deleted while a profile inherits from it`,
      { details: { name: profile, children } },
    );
  }
}

export class ParentProfileNotFoundError extends ProfileError {
  override readonly name = "ParentProfileNotFoundError";

  constructor(
    readonly profile: string,
    readonly parent: string,
  ) {
    super(ProfileErrorCode.parentNotFound, `Parent profile of ${profile} not found: ${parent}`, {
      details: { name: profile, parent },
    });
  }
}

export class ProfileInheritanceCycleError extends ProfileError {
  override readonly name = "ProfileInheritanceCycleError";

  constructor(readonly chain: readonly string[]) {
    super(ProfileErrorCode.inheritanceCycle, `Profile inheritance cycle: ${chain.join(" -> ")}`, {
      details: { chain },
    });
  }
}

/** The parent's effective request and the child's own requests cannot merge. */
export class ProfileInheritanceConflictError extends ProfileError {
  override readonly name = "ProfileInheritanceConflictError";

  constructor(
    readonly profile: string,
    readonly parent: string,
    readonly inherited: string,
    readonly own: string,
  ) {
    super(
      ProfileErrorCode.inheritanceConflict,
      `Request '${own}' of profile ${profile} clashes with '${inherited}' inherited from ${parent}`,
      { details: { name: profile, parent, inherited, own } },
    );
  }
}

/** A lock was asked of a revision that is not `valid`. Maps to 409. */
export class ProfileNotValidError extends ProfileError {
  override readonly name = "ProfileNotValidError";

  constructor(
    readonly profile: string,
    readonly revision: number,
    readonly status: string,
  ) {
    super(ProfileErrorCode.notValid, `Profile ${profile} revision ${revision} is ${status}, not valid`, {
      details: { name: profile, revision, status },
    });
  }
}

/** A lock whose packages cannot be resolved again exactly (a package is gone, or another variant is chosen). */
export class LockNotReproducibleError extends ProfileError {
  override readonly name = "LockNotReproducibleError";

  constructor(
    readonly profile: string,
    readonly revision: number,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      ProfileErrorCode.lockNotReproducible,
      `The lock of ${profile} revision ${revision} cannot be replayed: ${reason}`,
      {
        ...options,
        details: { name: profile, revision, reason },
      },
    );
  }
}

export class InvalidPackageError extends ProfileError {
  override readonly name = "InvalidPackageError";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], options: ProfileDepsErrorOptions = {}) {
    const first = issues[0];
    super(
      ProfileErrorCode.invalidPackage,
      first ? `Invalid package: ${first.path ? `${first.path}: ` : ""}${first.message}` : "Invalid package",
      { ...options, details: { issues } },
    );
    this.issues = issues;
  }
}

/** A published package version is immutable. Maps to 409. */
export class PackageVersionExistsError extends ProfileError {
  override readonly name = "PackageVersionExistsError";

  constructor(
    readonly family: string,
    readonly version: string,
  ) {
    super(ProfileErrorCode.packageVersionExists, `Package ${family}-${version} is already published`, {
      details: { family, version },
    });
  }
}

export class InvalidProfileEventError extends ProfileError {
  override readonly name = "InvalidProfileEventError";
  readonly issues: readonly ValidationIssue[];

  constructor(type: string, issues: readonly ValidationIssue[], options: ProfileDepsErrorOptions = {}) {
    super(
      ProfileErrorCode.invalidEvent,
      `Invalid ${type} event: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      {
        ...options,
        details: { type, issues },
      },
    );
    this.issues = issues;
  }
}

/** An adapter's storage failed for a reason that is not a domain conflict. */
export class ProfileStoreError extends ProfileError {
  override readonly name = "ProfileStoreError";

  constructor(message: string, options: ProfileDepsErrorOptions = {}) {
    super(ProfileErrorCode.storeFailure, message, options);
  }
}

/** zod issues as `{ path, message }` with dotted paths. */
export function toIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ValidationIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
