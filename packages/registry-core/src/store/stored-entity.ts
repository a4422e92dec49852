import type { Owner } from "../model/actor.js";
import type { JsonValue } from "../model/entity.js";

/** One outgoing edge of an entity: its link field and the entity it points to. */
export interface Edge {
  fieldId: string;
  targetType: string;
  targetId: string;
}

/** An edge seen from its target. */
export interface IncomingEdge {
  sourceType: string;
  sourceId: string;
  fieldId: string;
}

/** An entry of a secondary index: the field and the value's order-preserving key. */
export interface IndexEntry {
  fieldId: string;
  key: string;
}

/**
 * An entity as stores hold it: data by field id (renames keep data), with the index entries,
 * unique keys and edges the service derived from its type. Stores never interpret `data`.
 */
export interface StoredEntity {
  organisation: string;
  type: string;
  id: string;
  version: number;
  /** The type version the data was last validated against. */
  typeVersion: number;
  data: Record<string, JsonValue>;
  owners: Owner[];
  createdAt: string;
  updatedAt: string;
  index: IndexEntry[];
  unique: IndexEntry[];
  links: Edge[];
}

/**
 * One entity write inside an atomic commit. `update` expects `previous.version` to be stored;
 * `delete` expects `entity.version`. A commit fails whole with a `ConflictError` when a version,
 * a unique key or a link target does not hold, or when it would leave an edge pointing at a deleted entity.
 */
export type EntityWrite =
  | { op: "create"; entity: StoredEntity }
  | { op: "update"; entity: StoredEntity; previous: StoredEntity }
  | { op: "delete"; entity: StoredEntity };
