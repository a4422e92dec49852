import { ProfileDepsError } from "../errors.js";
import { ProfileStoreError } from "./errors.js";
import type { ProfileStore } from "./profile-store.js";

/**
 * The store as the service uses it: an error that is not one of this package's (a driver's,
 * a network's) becomes one `ProfileStoreError` (`PROFILE_STORE_FAILURE`) with the original as
 * `cause`, so a store written for any database fails the way ours do.
 */
export function guardStore(store: ProfileStore): ProfileStore {
  const guard =
    <A extends unknown[], R>(operation: string, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } catch (error) {
        if (error instanceof ProfileDepsError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new ProfileStoreError(`The profile store failed to ${operation}: ${reason}`, { cause: error });
      }
    };
  return {
    create: guard("create a profile", (profile) => store.create(profile)),
    update: guard("update a profile", (profile, expected) => store.update(profile, expected)),
    get: guard("read a profile", (name) => store.get(name)),
    getRevision: guard("read a revision", (name, revision) => store.getRevision(name, revision)),
    listRevisions: guard("list revisions", (name, query) => store.listRevisions(name, query)),
    list: guard("list profiles", (query) => store.list(query)),
    setValidation: guard("record a validation", (name, revision, expected, state) =>
      store.setValidation(name, revision, expected, state),
    ),
    delete: guard("delete a profile", (name, expected, stamp) => store.delete(name, expected, stamp)),
  };
}
