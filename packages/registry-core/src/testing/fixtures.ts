import type { Actor } from "../model/actor.js";
import type { EntityTypeInput } from "../model/entity-type.js";

/** An admin, two writers and a reader of an organisation, for tests. */
export function actors(organisation: string) {
  return {
    admin: {
      id: `admin@${organisation}`,
      organisation,
      groups: [],
      roles: ["admin"],
    } satisfies Actor as Actor,
    writer: {
      id: `writer@${organisation}`,
      organisation,
      groups: ["staff"],
      roles: ["read", "write"],
    } as Actor,
    other: { id: `other@${organisation}`, organisation, groups: [], roles: ["read", "write"] } as Actor,
    reader: { id: `reader@${organisation}`, organisation, groups: [], roles: ["read"] } as Actor,
  };
}

/** A company type for tests. */
export const companyType: EntityTypeInput = {
  name: "company",
  description: "An employer",
  tags: ["crm"],
  fields: [
    { name: "name", type: "string", required: true, unique: true },
    { name: "country", type: "string", indexed: true },
    { name: "founded", type: "integer", indexed: true },
  ],
};

/** A person type for tests, linking to companies. */
export const personType: EntityTypeInput = {
  name: "person",
  tags: ["crm", "people"],
  fields: [
    { name: "name", type: "string", required: true, indexed: true },
    { name: "email", type: "email", unique: true },
    { name: "address", type: "string", indexed: true },
    { name: "age", type: "integer", indexed: true },
    { name: "score", type: "number", indexed: true },
    { name: "active", type: "boolean", indexed: true, default: true },
    { name: "born", type: "date", indexed: true },
    { name: "level", type: "enum", choices: ["junior", "senior", "lead"], indexed: true },
    { name: "notes", type: "text" },
    { name: "profile", type: "json" },
    { name: "homepage", type: "url" },
    {
      name: "employer",
      type: "link",
      link: { target: "company", cardinality: "one", inverse: "employees", onDelete: "unlink" },
    },
  ],
};

/** A task type for tests. */
export const taskType: EntityTypeInput = {
  name: "task",
  fields: [
    { name: "title", type: "string", required: true, indexed: true },
    { name: "counter", type: "integer", default: 0 },
    {
      name: "owner",
      type: "link",
      link: { target: "person", cardinality: "one", inverse: "tasks", onDelete: "cascade" },
    },
    {
      name: "watchers",
      type: "link",
      link: { target: "person", cardinality: "many", inverse: "watching", onDelete: "unlink" },
    },
    {
      name: "blockedBy",
      type: "link",
      link: { target: "task", cardinality: "many", inverse: "blocks", onDelete: "restrict" },
    },
  ],
};

/** An employee type for tests. */
export const employeeType: EntityTypeInput = {
  name: "employee",
  fields: [
    { name: "email", type: "email", unique: true },
    { name: "name", type: "string", required: true },
    { name: "grade", type: "string", indexed: true },
    { name: "manager", type: "link", link: { target: "employee", inverse: "reports", onDelete: "unlink" } },
    { name: "mentors", type: "link", link: { target: "employee", cardinality: "many", onDelete: "unlink" } },
  ],
};
