export {
  type ByteSource,
  EXPORT_CONTENT_TYPES,
  ExportFormat,
  exportEntities,
  ImportFormat,
  readRows,
  type SourceRow,
} from "./bulk/index.js";
export {
  ConflictError,
  ForbiddenError,
  isRegistryError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  QueryError,
  RegistryError,
  RegistryErrorCode,
  type RegistryErrorOptions,
  type RegistryIssue,
  StoreFailureError,
  StoreLimitError,
  UnauthenticatedError,
  ValidationError,
} from "./errors.js";
export { createMemorySearchIndex } from "./memory/memory-search-index.js";
export { createMemoryRegistryStore, type MemoryRegistryStore } from "./memory/memory-store.js";
export { canConvert, convertValue } from "./migration/conversions.js";
export { migrateData } from "./migration/migrate-data.js";
export {
  type Actor,
  type AnonymousPolicy,
  actorSchema,
  anonymousActor,
  canModify,
  hasRole,
  type Owner,
  ownerSchema,
  Role,
} from "./model/actor.js";
export type { Entity, JsonValue } from "./model/entity.js";
export {
  type EntityType,
  type EntityTypeInput,
  type EntityTypePatch,
  type EntityTypeReplacement,
  entityTypeInputSchema,
  entityTypePatchSchema,
  entityTypeReplacementSchema,
} from "./model/entity-type.js";
export {
  Cardinality,
  type FieldDefinition,
  type FieldInput,
  FieldType,
  type LinkSpec,
  OnDelete,
} from "./model/field.js";
export type { SearchIndex, TextDocument, TextHits, TextQuery } from "./ports/search-index.js";
export {
  type Clock,
  createMemoryPublisher,
  type EntityChangedEvent,
  type EntityTypeChangedEvent,
  type EventPublisher,
  type IdGenerator,
  type RegistryEvent,
  randomIds,
  systemClock,
} from "./ports.js";
export { entitySchema, validateData } from "./schema/entity-schema.js";
export { type Condition, FilterOp, type SearchFilter, searchFilterSchema } from "./search/filter.js";
export { parseSearchParams } from "./search/query-string.js";
export { MAX_ENTITY_BYTES, type RegistryServiceOptions } from "./service/context.js";
export type { CreateEntityInput, UpdateEntityInput } from "./service/entities.js";
export type { RegistryLogger } from "./service/guarded-store.js";
export { ImportMode, type ImportOptions, type ImportReport, type ImportSettings } from "./service/imports.js";
export type { MigrationOptions, Migrations } from "./service/migrations.js";
export {
  createRegistryService,
  type RegistryService,
  type RegistryServiceSettings,
} from "./service/registry-service.js";
export type { SearchPage } from "./service/search.js";
export type { TypeChangeResult } from "./service/types.js";
export {
  compositeKey,
  indexKey,
  KEY_CEILING,
  KEY_MAX,
  KEY_SEPARATOR,
  MAX_INDEX_KEY_BYTES,
  splitCompositeKey,
} from "./store/index-key.js";
export type {
  ImportJobRecord,
  ImportUndoEntry,
  ImportUndoRecord,
  IndexHit,
  JobRecord,
  KeyRange,
  MigrationJobRecord,
  RegistryStore,
  RowError,
} from "./store/registry-store.js";
export type { Edge, EntityWrite, IncomingEdge, IndexEntry, StoredEntity } from "./store/stored-entity.js";
