import { randomUUID } from "node:crypto";
import type { Profile } from "../profiles/profile.js";

let counter = 0;

/** A unique profile name for a test: `<prefix>-<n>-<random>`. */
export function uniqueProfileName(prefix = "p"): string {
  counter++;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

/** A complete, valid, pending revision-1 profile; override any field. */
export function profileFixture(overrides: Partial<Profile> = {}): Profile {
  const at = "2026-01-01T00:00:00.000Z";
  return {
    name: overrides.name ?? uniqueProfileName(),
    revision: 1,
    description: "",
    requests: ["python-3.10"],
    parent: null,
    tags: [],
    createdAt: at,
    createdBy: "tester",
    updatedAt: at,
    updatedBy: "tester",
    effectiveRequest: overrides.requests ?? ["python-3.10"],
    validationId: randomUUID(),
    status: "pending",
    ...overrides,
  };
}

/** The next revision of `profile`, pending, with the fields given. */
export function nextRevision(profile: Profile, overrides: Partial<Profile> = {}): Profile {
  const { packages: _p, ephemerals: _ep, failure: _f, error: _e, resolvedAt: _r, ...rest } = profile;
  return {
    ...rest,
    revision: profile.revision + 1,
    updatedAt: new Date(Date.parse(profile.updatedAt) + 1000).toISOString(),
    validationId: randomUUID(),
    status: "pending",
    ...overrides,
  };
}
