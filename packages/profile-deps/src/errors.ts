import { ProfileErrorCode } from "./profiles/error-codes.js";

/** The `code` of every `ProfileDepsError`. */
export const ProfileDepsErrorCode = {
  invalidVersion: "INVALID_VERSION",
  invalidRange: "INVALID_RANGE",
  invalidRequirement: "INVALID_REQUIREMENT",
  invalidRepository: "INVALID_REPOSITORY",
  invalidPackageFilter: "INVALID_PACKAGE_FILTER",
  invalidInput: "INVALID_INPUT",
  packageFamilyNotFound: "PACKAGE_FAMILY_NOT_FOUND",
  packageNotFound: "PACKAGE_NOT_FOUND",
  packageRequirementsConflict: "PACKAGE_REQUIREMENTS_CONFLICT",
  resolveBudgetExceeded: "RESOLVE_BUDGET_EXCEEDED",
  ...ProfileErrorCode,
} as const;

/** One of the codes of `ProfileDepsErrorCode`. */
export type ProfileDepsErrorCode = (typeof ProfileDepsErrorCode)[keyof typeof ProfileDepsErrorCode];

/** Options of a `ProfileDepsError`: details and the cause. */
export interface ProfileDepsErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** Base class of every error this package throws; `code` is stable across releases. */
export class ProfileDepsError extends Error {
  override readonly name: string = "ProfileDepsError";
  readonly code: ProfileDepsErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ProfileDepsErrorCode, message: string, options: ProfileDepsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

export class InvalidVersionError extends ProfileDepsError {
  override readonly name = "InvalidVersionError";
  readonly input: string;

  constructor(input: string, reason: string, options: ProfileDepsErrorOptions = {}) {
    super(ProfileDepsErrorCode.invalidVersion, `Invalid version '${input}': ${reason}`, options);
    this.input = input;
  }
}

export class InvalidRangeError extends ProfileDepsError {
  override readonly name = "InvalidRangeError";
  readonly input: string;

  constructor(input: string, reason: string, options: ProfileDepsErrorOptions = {}) {
    super(ProfileDepsErrorCode.invalidRange, `Invalid version range '${input}': ${reason}`, options);
    this.input = input;
  }
}

export class InvalidRequirementError extends ProfileDepsError {
  override readonly name = "InvalidRequirementError";
  readonly input: string;

  constructor(input: string, reason: string, options: ProfileDepsErrorOptions = {}) {
    super(ProfileDepsErrorCode.invalidRequirement, `Invalid requirement '${input}': ${reason}`, options);
    this.input = input;
  }
}

export class InvalidPackageFilterError extends ProfileDepsError {
  override readonly name = "InvalidPackageFilterError";
  readonly input: string;

  constructor(input: string, reason: string, options: ProfileDepsErrorOptions = {}) {
    super(
      ProfileDepsErrorCode.invalidPackageFilter,
      `Invalid package filter rule '${input}': ${reason}`,
      options,
    );
    this.input = input;
  }
}

export class InvalidRepositoryError extends ProfileDepsError {
  override readonly name = "InvalidRepositoryError";
  readonly issues: readonly { path: string; message: string }[];

  constructor(
    message: string,
    issues: readonly { path: string; message: string }[],
    options: ProfileDepsErrorOptions = {},
  ) {
    super(ProfileDepsErrorCode.invalidRepository, message, options);
    this.issues = issues;
  }
}

export class PackageFamilyNotFoundError extends ProfileDepsError {
  override readonly name = "PackageFamilyNotFoundError";
  readonly family: string;
  readonly requiredBy: readonly string[];

  constructor(family: string, requiredBy: readonly string[] = [], options: ProfileDepsErrorOptions = {}) {
    const by = requiredBy.length > 0 ? `, required by: ${requiredBy.join(", ")}` : "";
    super(ProfileDepsErrorCode.packageFamilyNotFound, `Package family not found: ${family}${by}`, options);
    this.family = family;
    this.requiredBy = requiredBy;
  }
}

export class PackageNotFoundError extends ProfileDepsError {
  override readonly name = "PackageNotFoundError";
  readonly requirement: string;

  constructor(requirement: string, options: ProfileDepsErrorOptions = {}) {
    super(ProfileDepsErrorCode.packageNotFound, `Package could not be found: ${requirement}`, options);
    this.requirement = requirement;
  }
}

export class PackageRequirementsConflictError extends ProfileDepsError {
  override readonly name = "PackageRequirementsConflictError";
  readonly variant: string;

  constructor(variant: string, conflict: string, options: ProfileDepsErrorOptions = {}) {
    super(
      ProfileDepsErrorCode.packageRequirementsConflict,
      `The package ${variant} has an internal requirements conflict: ${conflict}`,
      options,
    );
    this.variant = variant;
  }
}

export class ResolveBudgetError extends ProfileDepsError {
  override readonly name = "ResolveBudgetError";
  readonly steps: number;
  readonly elapsedMs: number;

  constructor(reason: string, steps: number, elapsedMs: number, options: ProfileDepsErrorOptions = {}) {
    super(
      ProfileDepsErrorCode.resolveBudgetExceeded,
      `Resolve stopped: ${reason} (after ${steps} solve steps, ${Math.round(elapsedMs)} ms)`,
      options,
    );
    this.steps = steps;
    this.elapsedMs = elapsedMs;
  }
}
