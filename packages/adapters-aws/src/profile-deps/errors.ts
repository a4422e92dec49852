import { ProfileStoreError } from "@portside/profile-deps";

/** Any SDK failure that is not a domain condition becomes a `ProfileStoreError`; callers never see SDK classes. */
export function storeFailure(operation: string, error: unknown): ProfileStoreError {
  if (error instanceof ProfileStoreError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProfileStoreError(`DynamoDB ${operation} failed: ${message}`, { cause: error });
}
