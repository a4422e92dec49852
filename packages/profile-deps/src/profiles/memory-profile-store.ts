import {
  ParentProfileNotFoundError,
  ProfileExistsError,
  ProfileHasChildrenError,
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
  /** name -> revisions, oldest first; the last is current unless it is a tombstone. */
  const profiles = new Map<string, Profile[]>();

  const current = (name: string): Profile | undefined => {
    const latest = profiles.get(name)?.at(-1);
    return latest?.deleted ? undefined : latest;
  };

  return {
    async create(profile) {
      const revisions = profiles.get(profile.name) ?? [];
      const record = profileSchema.parse({ ...profile, revision: (revisions.at(-1)?.revision ?? 0) + 1 });
      if (current(record.name)) throw new ProfileExistsError(record.name);
      if (record.parent !== null && !current(record.parent)) {
        throw new ParentProfileNotFoundError(record.name, record.parent);
      }
      profiles.set(record.name, [...revisions, copy(record)]);
      return copy(record);
    },

    async update(profile, expectedRevision) {
      const record = profileSchema.parse(profile);
      const latest = current(record.name);
      if (!latest) throw new ProfileNotFoundError(record.name);
      if (latest.revision !== expectedRevision || record.revision !== expectedRevision + 1) {
        throw new ProfileRevisionConflictError(record.name, expectedRevision, latest.revision);
      }
      const revisions = profiles.get(record.name)!;
      if (record.parent !== null && !current(record.parent)) {
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
        .map((name) => current(name))
        .filter(
          (p): p is Profile =>
            p !== undefined &&
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

    async delete(name, expectedRevision, stamp) {
      const latest = current(name);
      if (!latest) throw new ProfileNotFoundError(name);
      if (expectedRevision !== undefined && latest.revision !== expectedRevision) {
        throw new ProfileRevisionConflictError(name, expectedRevision, latest.revision);
      }
      const children = [...profiles.keys()].filter((n) => current(n)?.parent === name).sort();
      if (children.length > 0) throw new ProfileHasChildrenError(name, children);
      const tombstone = { ...latest, ...stamp, revision: latest.revision + 1, deleted: true as const };
      profiles.get(name)!.push(profileSchema.parse(tombstone));
    },

    dump() {
      return [...profiles.values()].flat().map(copy);
    },
  };
}
