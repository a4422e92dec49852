export { type Clock, systemClock } from "./clock.js";
export { diffRevisions, type ProfileDiff, type RequestChange, type RequestKind } from "./diff.js";
export {
  computeEffectiveRequest,
  type EffectiveRequest,
  type InheritableProfile,
  mergeInherited,
  mergeRequests,
} from "./effective-request.js";
export {
  InvalidPackageError,
  InvalidProfileError,
  InvalidProfileEventError,
  LockNotReproducibleError,
  PackageVersionExistsError,
  ParentProfileNotFoundError,
  ProfileError,
  ProfileErrorCode,
  ProfileExistsError,
  ProfileHasChildrenError,
  ProfileInheritanceConflictError,
  ProfileInheritanceCycleError,
  ProfileNotFoundError,
  ProfileNotValidError,
  ProfileRevisionConflictError,
  ProfileRevisionNotFoundError,
  ProfileStoreError,
  type ValidationIssue,
} from "./errors.js";
export { guardStore } from "./guarded-store.js";
export { lockOf, type ProfileLock, replayLock } from "./lock.js";
export { createMemoryProfileStore, type MemoryProfileStore } from "./memory-profile-store.js";
export {
  type Profile,
  ProfileStatus,
  type ProfileValidationState,
  profileSchema,
  type ValidationResult,
  validationResultSchema,
  validationStateOf,
  withValidation,
} from "./profile.js";
export {
  type CreateProfileInput,
  createProfileInputSchema,
  PROFILE_NAME,
  profileNameSchema,
  type UpdateProfileInput,
  updateProfileInputSchema,
} from "./profile-input.js";
export {
  type ActorContext,
  type ApplyValidationOutcome,
  createProfileService,
  type ProfileService,
  type ProfileServiceOptions,
  parseProfileName,
  VALIDATION_NOT_QUEUED,
} from "./profile-service.js";
export {
  DEFAULT_PAGE_SIZE,
  type DeletionStamp,
  decodeCursor,
  encodeCursor,
  type ListProfilesQuery,
  type ListRevisionsQuery,
  MAX_PAGE_SIZE,
  type Page,
  type ProfileStore,
  pageSize,
} from "./profile-store.js";
export {
  createProfileValidator,
  type ProfileValidator,
  type ProfileValidatorOptions,
} from "./profile-validator.js";
