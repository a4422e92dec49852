import type { ByteSource } from "../bulk/row-sources.js";
import type { Actor } from "../model/actor.js";
import type { Entity } from "../model/entity.js";
import type {
  EntityType,
  EntityTypeInput,
  EntityTypePatch,
  EntityTypeReplacement,
} from "../model/entity-type.js";
import type { SearchFilter } from "../search/filter.js";
import type { ImportJobRecord, MigrationJobRecord } from "../store/registry-store.js";
import { createRegistryContext, type RegistryServiceOptions } from "./context.js";
import { type CreateEntityInput, entityUseCases, type UpdateEntityInput } from "./entities.js";
import { type ImportOptions, type ImportReport, type ImportSettings, importJobs } from "./imports.js";
import { type MigrationOptions, type Migrations, migrationJobs } from "./migrations.js";
import { type SearchPage, searchUseCases } from "./search.js";
import { type TypeChangeResult, typeUseCases } from "./types.js";

/**
 * The registry's use cases. Every method checks the actor's role, parses its input at runtime
 * (the types are the schemas' input types) and confines itself to the actor's organisation.
 */
export interface RegistryService {
  /** Creates an entity type (admin). */
  createType(actor: Actor, input: EntityTypeInput): Promise<EntityType>;
  /** One entity type by name. */
  getType(actor: Actor, name: string): Promise<EntityType>;
  /** The organisation's entity types, optionally those with a tag. */
  listTypes(actor: Actor, filter?: { tag?: string }): Promise<EntityType[]>;
  /**
   * Changes description, tags or fields, merged by field id (or name); `remove` lists fields to
   * drop and needs `expectedVersion`. When entities' data must change, `job` is the migration.
   */
  changeType(
    actor: Actor,
    name: string,
    change: EntityTypePatch,
    options?: { expectedVersion?: number },
  ): Promise<TypeChangeResult>;
  /** Replaces the whole definition; fields left out are removed (their data with them). */
  replaceType(
    actor: Actor,
    name: string,
    replacement: EntityTypeReplacement,
    expectedVersion: number,
  ): Promise<TypeChangeResult>;
  /** Deletes an entity type that has no entities and no type links to (admin), at the expected version if given. */
  deleteType(actor: Actor, name: string, expectedVersion?: number): Promise<void>;

  /** Creates an entity of a type, validated against its fields, with its links' inverses. */
  createEntity(actor: Actor, type: string, input: CreateEntityInput): Promise<Entity>;
  /** One entity, with the links other entities hold to it (`inverse`). */
  getEntity(actor: Actor, type: string, id: string): Promise<Entity>;
  /** Changes an entity's data (null removes a field) at the expected version if given. */
  updateEntity(
    actor: Actor,
    type: string,
    id: string,
    input: UpdateEntityInput,
    expectedVersion?: number,
  ): Promise<Entity>;
  /** Deletes an entity, applying its links' delete rules, at the expected version if given. */
  deleteEntity(actor: Actor, type: string, id: string, expectedVersion?: number): Promise<void>;

  /** One page of a type's entities matching the filter. */
  search(actor: Actor, type: string, filter?: SearchFilter): Promise<SearchPage>;
  /** Every entity matching the filter, page after page. */
  searchAll(actor: Actor, type: string, filter?: SearchFilter): AsyncGenerator<Entity>;

  /** Starts an import job (202 over HTTP): read its progress with `getImport`. */
  startImport(
    actor: Actor,
    type: string,
    source: ByteSource,
    options: ImportOptions,
  ): Promise<ImportJobRecord>;
  /** Runs an import to its end and returns its per-row report. */
  importEntities(
    actor: Actor,
    type: string,
    source: ByteSource,
    options: ImportOptions,
  ): Promise<ImportReport>;
  /** An import job's progress. */
  getImport(actor: Actor, id: string): Promise<ImportJobRecord>;
  /** Resolves with the import job once it has finished. */
  waitForImport(actor: Actor, id: string): Promise<ImportJobRecord>;
  /** Asks a running import to stop; the job reports how it ended. */
  cancelImport(actor: Actor, id: string): Promise<ImportJobRecord>;
  /** Resumes an interrupted import from where it stopped, given the same file. */
  resumeImport(
    actor: Actor,
    id: string,
    source: ByteSource,
    options?: { maxBytes?: number },
  ): Promise<ImportJobRecord>;

  /** Migration jobs that type changes start, and dry runs of a change. */
  readonly migrations: Migrations;
}

/** Options of `createRegistryService`, with import and migration settings. */
export interface RegistryServiceSettings extends RegistryServiceOptions {
  migrations?: MigrationOptions;
  imports?: ImportSettings;
}

/** The registry over any store: one context shared by the use-case modules. */
export function createRegistryService(options: RegistryServiceSettings): RegistryService {
  const ctx = createRegistryContext(options);
  const migrations = migrationJobs(ctx, options.migrations);
  const { refuseWhileRunning: _r, start: _s, ...publicMigrations } = migrations;
  return {
    ...typeUseCases(ctx, migrations),
    ...entityUseCases(ctx),
    ...searchUseCases(ctx),
    ...importJobs(ctx, options.imports),
    migrations: publicMigrations,
  };
}

export type { MigrationJobRecord };
