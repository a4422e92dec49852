import {
  ParentProfileNotFoundError,
  ProfileExistsError,
  ProfileNotFoundError,
  ProfileRevisionConflictError,
} from "./errors.js";
import { type Profile, profileSchema, withValidation } from "./profile.js";
import {
  decodeCursor,
  encodeCursor,
  type ListProfilesQuery,
  type ListRevisionsQuery,
  type Page,
  type ProfileStore,
  pageSize,
} from "./profile-store.js";

export interface MemoryProfileStore extends ProfileStore {
  /** Every stored revision of every profile, for tests that look behind the port. */
  dump(): Profile[];
}

const copy = (profile: Profile): Profile => structuredClone(profile);

/** Profiles in memory, with the same conditions, ordering and copies-out semantics as the durable stores. */
export function createMemoryProfileStore(): MemoryProfileStore {
  /** name -> revisions, oldest first; the last is current. */
  const profiles = new Map<string, Profile[]>();

  const current = (name: string): Profile | undefined => profiles.get(name)?.at(-1);

  return {
    async create(profile) {
      const record = profileSchema.parse(profile);
      if (profiles.has(record.name)) throw new ProfileExistsError(record.name);
      if (record.parent !== null && !profiles.has(record.parent)) {
        throw new ParentProfileNotFoundError(record.name, record.parent);
      }
      profiles.set(record.name, [copy(record)]);
    },

    async update(profile, expectedRevision) {
      const record = profileSchema.parse(profile);
      const revisions = profiles.get(record.name);
      if (!revisions) throw new ProfileNotFoundError(record.name);
      const latest = revisions.at(-1)!;
      if (latest.revision !== expectedRevision || record.revision !== expectedRevision + 1) {
        throw new ProfileRevisionConflictError(record.name, expectedRevision, latest.revision);
      }
      if (record.parent !== null && !profiles.has(record.parent)) {
        throw new ParentProfileNotFoundError(record.name, record.parent);
      }
      revisions.push(copy(record));
    },

    async get(name) {
      const profile = current(name);
      return profile && copy(profile);
    },

    async getRevision(name, revision) {
      const profile = profiles.get(name)?.find((p) => p.revision === revision);
      return profile && copy(profile);
    },

    async listRevisions(name, query: ListRevisionsQuery = {}) {
      const revisions = profiles.get(name) ?? [];
      const after = Number(decodeCursor(query.cursor) ?? 0) || 0;
      const limit = pageSize(query.limit);
      const rest = revisions.filter((p) => p.revision > after);
      const items = rest.slice(0, limit).map(copy);
      const page: Page<Profile> = { items };
      if (rest.length > limit) page.nextCursor = encodeCursor(items.at(-1)!.revision);
      return page;
    },

    async list(query: ListProfilesQuery = {}) {
      const after = decodeCursor(query.cursor);
      const limit = pageSize(query.limit);
      const matching = [...profiles.keys()]
        .sort()
        .filter((name) => after === undefined || name > after)
        .map((name) => current(name)!)
        .filter(
          (p) =>
            (query.tag === undefined || p.tags.includes(query.tag)) &&
            (query.status === undefined || p.status === query.status) &&
            (query.parent === undefined || p.parent === query.parent),
        );
      const items = matching.slice(0, limit).map(copy);
      const page: Page<Profile> = { items };
      if (matching.length > limit) page.nextCursor = encodeCursor(items.at(-1)!.name);
      return page;
    },

    async setValidation(name, revision, expectedValidationId, state) {
      const revisions = profiles.get(name);
      const index = revisions?.findIndex((p) => p.revision === revision) ?? -1;
      if (!revisions || index < 0) return false;
      const record = revisions[index]!;
      if (record.validationId !== expectedValidationId) return false;
      revisions[index] = profileSchema.parse(withValidation(record, structuredClone(state)));
      return true;
    },

    async delete(name, expectedRevision) {
      const latest = current(name);
      if (!latest) throw new ProfileNotFoundError(name);
      if (expectedRevision !== undefined && latest.revision !== expectedRevision) {
        throw new ProfileRevisionConflictError(name, expectedRevision, latest.revision);
      }
      profiles.delete(name);
    },

    dump() {
      return [...profiles.values()].flat().map(copy);
    },
  };
}
