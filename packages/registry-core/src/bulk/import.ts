import { RegistryError, ValidationError } from "../errors.js";
import { type Actor, canModify, type Owner, ownerSchema } from "../model/actor.js";
import type { EntityType } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import { coerceFromText, fieldValueSchema } from "../schema/field-schema.js";
import { decodeData } from "../service/entity-codec.js";
import type { RegistryService } from "../service/registry-service.js";
import { indexKey } from "../store/index-key.js";
import type { EntityWrite, StoredEntity } from "../store/stored-entity.js";
import { type ByteSource, type ImportFormat, readRows } from "./row-sources.js";

export const ImportMode = { allOrNothing: "all-or-nothing", bestEffort: "best-effort" } as const;
export type ImportMode = (typeof ImportMode)[keyof typeof ImportMode];

export interface ImportOptions {
  format: ImportFormat;
  /** `all-or-nothing` (default): one bad row and nothing stays written. `best-effort`: good rows are kept. */
  mode?: ImportMode;
  /** Validate and report without writing. */
  dryRun?: boolean;
  /** A unique field: rows whose value exists update that entity, and rows link to each other by it. */
  upsertOn?: string;
  /** Store items per atomic commit (DynamoDB allows 100). */
  maxItemsPerCommit?: number;
  /** Row errors kept in the report; the rest are only counted. */
  maxErrors?: number;
}

export interface RowError {
  row: number;
  field?: string;
  message: string;
}

export interface ImportReport {
  type: string;
  format: ImportFormat;
  mode: ImportMode;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  failed: number;
  /** True when the good rows are stored (false for dry runs and failed all-or-nothing imports). */
  committed: boolean;
  errors: RowError[];
  /** Errors beyond `maxErrors`, counted but not listed. */
  moreErrors: number;
}

interface Pending {
  row: number;
  write: EntityWrite;
  items: number;
}

interface Deferred {
  row: number;
  id: string;
  field: FieldDefinition;
  keys: string[];
}

/**
 * Imports a CSV, NDJSON or JSON-array stream of rows into one type, committing in batches as it
 * reads (the file is never held whole). Every row is validated; the report lists each bad row's
 * number, field and message. Rows may link to other rows of the file by the `upsertOn` field.
 */
export async function importEntities(
  service: RegistryService,
  actor: Actor,
  typeName: string,
  source: ByteSource,
  options: ImportOptions,
): Promise<ImportReport> {
  service.requireRole(actor, "write");
  const org = actor.organisation;
  const store = service.store;
  const type = await service.loadType(org, typeName);
  const mode = options.mode ?? ImportMode.allOrNothing;
  const dryRun = options.dryRun ?? false;
  const maxItems = options.maxItemsPerCommit ?? 90;
  const maxErrors = options.maxErrors ?? 1000;
  const upsertField = options.upsertOn ? type.fields.find((f) => f.name === options.upsertOn) : undefined;
  if (options.upsertOn && !upsertField?.unique) {
    throw new ValidationError(`upsertOn must name a unique field of ${typeName}`, [
      { path: ["upsertOn"], message: upsertField ? "not unique" : "unknown field" },
    ]);
  }
  const report: ImportReport = {
    type: typeName,
    format: options.format,
    mode,
    dryRun,
    rows: 0,
    created: 0,
    updated: 0,
    failed: 0,
    committed: false,
    errors: [],
    moreErrors: 0,
  };
  const failedRows = new Set<number>();
  const fail = (row: number, message: string, field?: string) => {
    if (!failedRows.has(row)) {
      failedRows.add(row);
      report.failed++;
    }
    if (report.errors.length < maxErrors) report.errors.push({ row, ...(field && { field }), message });
    else report.moreErrors++;
  };

  const keyToId = new Map<string, string>();
  const fileIds = new Set<string>();
  const created: string[] = [];
  const restored = new Map<string, StoredEntity>();
  const deferred: Deferred[] = [];
  let batch: Pending[] = [];
  let batchItems = 0;
  const stopped = () => mode === ImportMode.allOrNothing && report.failed > 0;

  const commitOne = async (pending: Pending[]): Promise<boolean> => {
    try {
      await service.commitWrites(
        actor,
        pending.map((p) => p.write),
      );
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      if (pending.length === 1) {
        fail(pending[0]!.row, error.message);
        return false;
      }
      let ok = true;
      for (const p of pending) if (!(await commitOne([p]))) ok = false;
      return ok;
    }
    for (const p of pending) {
      if (p.write.op === "create") {
        created.push(p.write.entity.id);
        report.created++;
      } else if (p.write.op === "update") {
        if (!restored.has(p.write.entity.id)) restored.set(p.write.entity.id, p.write.previous);
        report.updated++;
      }
    }
    return true;
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    batchItems = 0;
    if (!stopped()) await commitOne(pending);
  };

  const selfLinks = type.fields.filter((f) => f.type === "link" && f.link?.target === type.name);
  const keyOf = (value: unknown): string | null => {
    if (!upsertField) return null;
    const parsed = fieldValueSchema(upsertField).safeParse(
      typeof value === "string" && upsertField.type !== "string" ? coerceFromText(upsertField, value) : value,
    );
    return parsed.success ? indexKey(upsertField.type, parsed.data) : null;
  };

  for await (const source_ of readRows(source, options.format)) {
    const { row } = source_;
    report.rows++;
    if (!source_.values) {
      fail(row, source_.error ?? "unreadable row");
      continue;
    }
    const shaped = shapeRow(source_.values, type);
    const data: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(shaped.data)) {
      const field = type.fields.find((f) => f.name === name);
      if (options.format === "csv" && typeof raw === "string") {
        if (raw === "") continue;
        data[name] = field ? coerceFromText(field, raw) : raw;
      } else data[name] = raw;
    }
    const rowDeferred: Deferred[] = [];
    for (const field of selfLinks) {
      const value = data[field.name];
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value) ? (value as unknown[]) : [value];
      const resolved: string[] = [];
      const later: string[] = [];
      for (const v of values) {
        const key = keyOf(v);
        const inFile = key === null ? undefined : keyToId.get(key);
        const existing =
          inFile ?? (key === null ? null : await store.findUnique(org, type.name, upsertField!.id, key));
        if (existing) resolved.push(existing);
        else if (typeof v === "string" && fileIds.has(v)) resolved.push(v);
        else if (typeof v === "string" && (await store.getEntity(org, v))) resolved.push(v);
        else later.push(String(v));
      }
      if (later.length > 0) rowDeferred.push({ row, id: "", field, keys: later });
      if (resolved.length === 0) delete data[field.name];
      else data[field.name] = field.link?.cardinality === "many" ? resolved : resolved[0]!;
    }
    let previous: StoredEntity | null = null;
    let key: string | null = null;
    if (upsertField) {
      key = keyOf(data[upsertField.name]);
      if (key !== null) {
        if (keyToId.has(key)) {
          fail(
            row,
            `another row of this file has ${upsertField.name} = ${String(data[upsertField.name])}`,
            upsertField.name,
          );
          continue;
        }
        const existingId = await store.findUnique(org, type.name, upsertField.id, key);
        previous = existingId ? await store.getEntity(org, existingId) : null;
      }
    }
    if (previous && !canModify(actor, previous.owners)) {
      fail(row, `this actor may not modify ${type.name} '${previous.id}'`);
      continue;
    }
    const id = previous?.id ?? shaped.id ?? service.ids.next();
    let entity: StoredEntity;
    try {
      const merged = previous ? { ...decodeData(type, previous), ...data } : data;
      entity = await service.prepareEntity(
        actor,
        type,
        merged,
        { id, ...(shaped.owners && { owners: shaped.owners }), ...(previous && { previous }) },
        { knownTargets: fileIds },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) {
        const field = issue.path[0] === "data" ? String(issue.path[1] ?? "") : undefined;
        const forward = rowDeferred.some((d) => d.field.name === field);
        fail(
          row,
          forward ? `${issue.message} (links to later rows are written after them)` : issue.message,
          field || undefined,
        );
      }
      continue;
    }
    if (key !== null) keyToId.set(key, id);
    if (selfLinks.length > 0) fileIds.add(id);
    for (const d of rowDeferred) deferred.push({ ...d, id });
    if (dryRun) {
      if (previous) report.updated++;
      else report.created++;
      continue;
    }
    if (stopped()) continue;
    const write: EntityWrite = previous ? { op: "update", entity, previous } : { op: "create", entity };
    const items = 1 + entity.index.length + entity.unique.length + 2 * entity.links.length;
    if (batchItems + items > maxItems) await flush();
    batch.push({ row, write, items });
    batchItems += items;
  }
  await flush();

  for (const d of deferred) {
    const ids = d.keys.map((k) => {
      const key = keyOf(k);
      return (key === null ? undefined : keyToId.get(key)) ?? (fileIds.has(k) ? k : undefined);
    });
    const missing = d.keys.filter((_, i) => !ids[i]);
    if (missing.length > 0) {
      fail(
        d.row,
        `no row or ${type.name} with ${upsertField ? `${upsertField.name} or ` : ""}id ${missing.join(", ")}`,
        d.field.name,
      );
      continue;
    }
    if (dryRun || stopped()) continue;
    const current = await store.getEntity(org, d.id);
    if (!current) continue;
    const data = decodeData(type, current);
    const now = data[d.field.name];
    data[d.field.name] =
      d.field.link?.cardinality === "many"
        ? [...new Set([...((now as string[] | undefined) ?? []), ...(ids as string[])])]
        : ids[0]!;
    try {
      const entity = await service.prepareEntity(actor, type, data, { id: d.id, previous: current });
      await service.commitWrites(actor, [{ op: "update", entity, previous: current }]);
      if (!restored.has(d.id)) restored.set(d.id, current);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      fail(d.row, error.message, d.field.name);
    }
  }

  if (dryRun) return report;
  if (stopped()) {
    await rollback(service, actor, created, restored);
    report.created = 0;
    report.updated = 0;
    return report;
  }
  report.committed = true;
  return report;
}

/** Undoes an all-or-nothing import: restores updated entities, then deletes created ones newest first. */
async function rollback(
  service: RegistryService,
  actor: Actor,
  created: string[],
  restored: Map<string, StoredEntity>,
): Promise<void> {
  const store = service.store;
  const org = actor.organisation;
  for (const [id, before] of restored) {
    const current = await store.getEntity(org, id);
    if (!current) continue;
    const entity = { ...before, version: current.version + 1 };
    await store.commit([{ op: "update", entity, previous: current }]);
  }
  for (let end = created.length; end > 0; end -= 20) {
    const ids = created.slice(Math.max(0, end - 20), end);
    const entities = await store.getEntities(org, ids);
    if (entities.length > 0) await store.commit(entities.map((entity) => ({ op: "delete", entity })));
  }
}

function shapeRow(
  values: Record<string, unknown>,
  type: EntityType,
): { id?: string; owners?: Owner[]; data: Record<string, unknown> } {
  const hasDataField = type.fields.some((f) => f.name === "data");
  if (!hasDataField && values.data && typeof values.data === "object" && !Array.isArray(values.data)) {
    const owners = ownerSchema.array().safeParse(values.owners);
    return {
      ...(typeof values.id === "string" && values.id !== "" && { id: values.id }),
      ...(owners.success && { owners: owners.data }),
      data: values.data as Record<string, unknown>,
    };
  }
  const { id, ...data } = values;
  return { ...(typeof id === "string" && id !== "" && { id }), data };
}
