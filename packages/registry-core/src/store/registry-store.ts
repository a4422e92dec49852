import type { EntityType } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import type { EntityWrite, IncomingEdge, StoredEntity } from "./stored-entity.js";

/** Bounds on composite index keys (`valueKey \u0001 id`); each side inclusive or not. */
export interface KeyRange {
  lower?: { key: string; inclusive: boolean };
  upper?: { key: string; inclusive: boolean };
}

export interface IndexHit {
  /** The composite key `valueKey \u0001 id`. */
  key: string;
  id: string;
}

export interface IncomingPage {
  sourceType: string;
  afterSourceId?: string | null;
  limit: number;
}

export interface MigrationJobRecord {
  organisation: string;
  id: string;
  type: string;
  fromVersion: number;
  toVersion: number;
  /** Field definitions before and after the change; a dry run's `toFields` are the proposed ones. */
  fromFields: FieldDefinition[];
  toFields: FieldDefinition[];
  dryRun: boolean;
  status: "running" | "paused" | "completed" | "failed";
  cursor: string | null;
  processed: number;
  migrated: number;
  failed: number;
  failures: { id: string; issues: { path: (string | number)[]; message: string }[] }[];
  startedAt: string;
  updatedAt: string;
  version: number;
}

/**
 * Where entity types and entities live. Every read is confined to one organisation by the keys it
 * takes; every read method is served by a key or an index (no method scans all entities).
 */
export interface RegistryStore {
  /** A short label for health reports: `memory`, `dynamodb:dev-registry`. */
  readonly label: string;

  getType(organisation: string, name: string): Promise<EntityType | null>;
  listTypes(organisation: string): Promise<EntityType[]>;
  /** Creates (`expectedVersion` null) or replaces a type; `ConflictError` when the stored version differs. */
  saveType(type: EntityType, expectedVersion: number | null): Promise<void>;
  deleteType(organisation: string, name: string, expectedVersion: number): Promise<void>;

  getEntity(organisation: string, id: string): Promise<StoredEntity | null>;
  /** Entities by id, in the order asked, missing ones left out. */
  getEntities(organisation: string, ids: readonly string[]): Promise<StoredEntity[]>;
  /** The id holding a unique key of a type's field, if any. */
  findUnique(organisation: string, type: string, fieldId: string, key: string): Promise<string | null>;
  /**
   * Edges pointing at an entity, ordered by source id. With `page`: only edges from one source
   * type whose source id is after `afterSourceId`, at most `limit` of them (a key range, so a hub
   * entity's links page in constant time).
   */
  incoming(organisation: string, id: string, page?: IncomingPage): Promise<IncomingEdge[]>;

  /** Ids of a type in id order, after `afterId`. */
  listIds(organisation: string, type: string, afterId: string | null, limit: number): Promise<string[]>;
  /** Hits of a field's index in composite-key order within `range`. */
  indexRange(
    organisation: string,
    type: string,
    fieldId: string,
    range: KeyRange,
    limit: number,
  ): Promise<IndexHit[]>;

  /** Applies every write or none. */
  commit(writes: readonly EntityWrite[]): Promise<void>;

  getJob(organisation: string, id: string): Promise<MigrationJobRecord | null>;
  saveJob(job: MigrationJobRecord, expectedVersion: number | null): Promise<void>;
}
