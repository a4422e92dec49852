import type { Owner } from "./actor.js";

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An entity as callers see it: `data` by field name. */
export interface Entity {
  id: string;
  type: string;
  organisation: string;
  version: number;
  owners: Owner[];
  data: Record<string, JsonValue>;
  createdAt: string;
  updatedAt: string;
  /** Edges other entities hold to this one, by their inverse name; filled on single reads. */
  inverse?: Record<string, { id: string; type: string }[]>;
}
