/** Stable codes of the profile errors (part of `ProfileDepsErrorCode`). */
export const ProfileErrorCode = {
  invalidProfile: "INVALID_PROFILE",
  profileNotFound: "PROFILE_NOT_FOUND",
  profileExists: "PROFILE_EXISTS",
  revisionConflict: "PROFILE_REVISION_CONFLICT",
  revisionNotFound: "PROFILE_REVISION_NOT_FOUND",
  hasChildren: "PROFILE_HAS_CHILDREN",
  parentNotFound: "PARENT_PROFILE_NOT_FOUND",
  inheritanceCycle: "PROFILE_INHERITANCE_CYCLE",
  inheritanceConflict: "PROFILE_INHERITANCE_CONFLICT",
  notValid: "PROFILE_NOT_VALID",
  lockNotReproducible: "LOCK_NOT_REPRODUCIBLE",
  invalidPackage: "INVALID_PACKAGE",
  packageVersionExists: "PACKAGE_VERSION_EXISTS",
  invalidEvent: "INVALID_PROFILE_EVENT",
  storeFailure: "PROFILE_STORE_FAILURE",
} as const;

export type ProfileErrorCode = (typeof ProfileErrorCode)[keyof typeof ProfileErrorCode];
