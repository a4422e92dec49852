import type { EntityType } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import type { EntityWrite, IncomingEdge, StoredEntity } from "./stored-entity.js";

/** Bounds on composite index keys (`valueKey \u0001 id`); each side inclusive or not. */
export interface KeyRange {
  lower?: { key: string; inclusive: boolean };
  upper?: { key: string; inclusive: boolean };
}

/** An index entry a range read found. */
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

/** A migration job as stored: its progress and failures. */
export interface MigrationJobRecord {
  kind?: "migration";
  organisation: string;
  id: string;
  type: string;
  fromVersion: number;
  toVersion: number;
  /** Field definitions before and after the change; a dry run's `toFields` are the proposed ones. */
  fromFields: FieldDefinition[];
  toFields: FieldDefinition[];
  /** Fields the change removes, with how many entities the job found holding data for each. */
  removedFields?: { id: string; name: string; entities: number }[];
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

/** One row's problem in an import report. */
export interface RowError {
  row: number;
  field?: string;
  message: string;
}

/** An import job: its options, its progress while it runs and its final per-row report. */
export interface ImportJobRecord {
  kind: "import";
  organisation: string;
  id: string;
  type: string;
  format: "csv" | "ndjson" | "json";
  mode: "all-or-nothing" | "best-effort";
  dryRun: boolean;
  upsertOn?: string;
  /** `running` until it stops; `completed` (rows kept), `failed` or `cancelled` (all-or-nothing: nothing kept). */
  status: "running" | "completed" | "failed" | "cancelled";
  /** Set by `cancel`; the job stops at its next batch. */
  cancelRequested: boolean;
  /** Rows read so far. */
  rows: number;
  /** Every row up to this one is decided (committed or failed): `resume` skips them. */
  rowsDone: number;
  created: number;
  updated: number;
  failed: number;
  /** True when the good rows are stored (false for dry runs and for all-or-nothing imports that failed). */
  committed: boolean;
  errors: RowError[];
  /** Errors beyond the kept list, counted but not listed. */
  moreErrors: number;
  /** Rows a rollback left as they are because someone changed them after the import wrote them. */
  notRolledBack: { id: string; row: number; version: number }[];
  /** Why the job stopped early (size limit, store failure, cancel). */
  stoppedBy?: { code: string; message: string };
  /** Where the upload was spooled, for `resume` after a crash (hosts that spool). */
  spool?: string;
  /** How many undo records (`<id>.undo.<n>`) an all-or-nothing import has saved. */
  undoRecords: number;
  startedAt: string;
  updatedAt: string;
  version: number;
}

/** What an all-or-nothing import wrote, so a rollback can undo it (also after a crash). */
export interface ImportUndoRecord {
  kind: "import-undo";
  organisation: string;
  id: string;
  entries: ImportUndoEntry[];
  version: number;
}

/** What undoing one imported row needs: the version it left and the entity before it. */
export interface ImportUndoEntry {
  id: string;
  row: number;
  /** The version the import left; a rollback touches the entity only while it is still this version. */
  wrote: number;
  /** The entity before the import touched it; absent when the import created it. */
  before?: StoredEntity;
}

/** The versioned records a store keeps beside entities: migration and import jobs. */
export type JobRecord = MigrationJobRecord | ImportJobRecord | ImportUndoRecord;

/**
 * Where entity types and entities live. Every read is confined to one organisation by the keys it
 * takes; every read method is served by a key or an index (no method scans all entities).
 */
export interface RegistryStore {
  /** A short label for health reports: `memory`, `dynamodb:dev-registry`. */
  readonly label: string;

  /** One entity type, or null. */
  getType(organisation: string, name: string): Promise<EntityType | null>;
  /** The organisation's entity types. */
  listTypes(organisation: string): Promise<EntityType[]>;
  /** Creates (`expectedVersion` null) or replaces a type; `ConflictError` when the stored version differs. */
  saveType(type: EntityType, expectedVersion: number | null): Promise<void>;
  /** Deletes a type at the expected version (a conflict otherwise). */
  deleteType(organisation: string, name: string, expectedVersion: number): Promise<void>;

  /** One stored entity, or null. */
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
  /** Hits of a field's index in composite-key order within `range` (highest first when `descending`). */
  indexRange(
    organisation: string,
    type: string,
    fieldId: string,
    range: KeyRange,
    limit: number,
    options?: { descending?: boolean },
  ): Promise<IndexHit[]>;

  /** Applies every write or none. */
  commit(writes: readonly EntityWrite[]): Promise<void>;

  /** One job record (import or migration), or null. */
  getJob(organisation: string, id: string): Promise<JobRecord | null>;
  /** Creates (`expectedVersion` null) or replaces a job record; `ConflictError` when the stored version differs. */
  saveJob(job: JobRecord, expectedVersion: number | null): Promise<void>;
}
