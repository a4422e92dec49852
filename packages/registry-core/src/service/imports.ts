import { FORMULA_START } from "../bulk/export.js";
import { type ByteSource, type ImportFormat, readRows } from "../bulk/row-sources.js";
import {
  ConflictError,
  NotFoundError,
  RegistryError,
  RegistryErrorCode,
  ValidationError,
} from "../errors.js";
import { type Actor, canModify, type Owner, ownerSchema } from "../model/actor.js";
import type { EntityType } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import { coerceFromText, fieldValueSchema } from "../schema/field-schema.js";
import { indexKey } from "../store/index-key.js";
import type { ImportJobRecord, ImportUndoEntry, ImportUndoRecord } from "../store/registry-store.js";
import type { EntityWrite, StoredEntity } from "../store/stored-entity.js";
import type { RegistryContext } from "./context.js";
import { decodeData } from "./entity-codec.js";
import { createYielder } from "./yielder.js";

/** Whether an import commits every row or none, or every valid row. */
export const ImportMode = { allOrNothing: "all-or-nothing", bestEffort: "best-effort" } as const;
/** One of the modes of `ImportMode`. */
export type ImportMode = (typeof ImportMode)[keyof typeof ImportMode];

/** Options of an import: format, mode, dry run, the field to upsert on and the byte limit. */
export interface ImportOptions {
  format: ImportFormat;
  /** `all-or-nothing` (default): one bad row and nothing stays written. `best-effort`: good rows are kept. */
  mode?: ImportMode;
  /** Validate and report without writing. */
  dryRun?: boolean;
  /** A unique field: rows whose value exists update that entity, and rows link to each other by it. */
  upsertOn?: string;
  /** Largest upload in bytes, counted as it streams: over it, the import stops and (all-or-nothing) undoes its writes. */
  maxBytes?: number;
  /** Where the host spooled the upload, recorded on the job so `resume` can read it again after a crash. */
  spool?: string;
}

/** The final per-row report of an import: the job record once it has stopped. */
export type ImportReport = ImportJobRecord;

/** How imports commit and how much of their errors and undo they keep. */
export interface ImportSettings {
  /** Store items per atomic commit (DynamoDB allows 100). */
  maxItemsPerCommit?: number;
  /** Row errors kept on the job; the rest are only counted. */
  maxErrors?: number;
  /** Undo entries per saved undo record. */
  undoEntriesPerRecord?: number;
  /**
   * A running job whose record has not moved for this long (ms, default 60 000) is taken for
   * crashed and may be resumed; a live job refreshes its record well within it. 0: resume any.
   */
  staleAfterMs?: number;
}

interface Pending {
  row: number;
  write: EntityWrite;
}

interface Deferred {
  row: number;
  id: string;
  field: FieldDefinition;
  /** Values naming rows further on in the file. */
  keys: string[];
  /** Every value of the field in the row's order, with the id of those already resolved. */
  ordered: { value: string; id?: string }[];
}

class Stop extends Error {}

/**
 * Imports as jobs: rows stream in and are committed in batches while the job record shows the
 * progress; the final record is the per-row report. All-or-nothing imports save what they are
 * about to write (before writing it), so a failed, cancelled or over-limit import is undone, also
 * after a crash, and the undo is version-checked: an entity someone changed after the import wrote
 * it is left as it is and listed in `notRolledBack`.
 */
export function importJobs(ctx: RegistryContext, settings: ImportSettings = {}) {
  const { store } = ctx;
  const maxItems = settings.maxItemsPerCommit ?? 90;
  const maxErrors = settings.maxErrors ?? 500;
  const undoPerRecord = settings.undoEntriesPerRecord ?? 200;
  const staleAfterMs = settings.staleAfterMs ?? 60_000;
  const running = new Map<string, { done: Promise<ImportJobRecord>; cancel: () => void }>();

  async function loadJob(actor: Actor, id: string): Promise<ImportJobRecord> {
    const job = await store.getJob(actor.organisation, id);
    if (job?.kind !== "import") throw new NotFoundError(`Import job '${id}'`);
    return job;
  }

  async function prepare(actor: Actor, typeName: string, options: ImportOptions) {
    ctx.requireRole(actor, "write");
    const type = await ctx.loadType(actor.organisation, typeName);
    const upsertField = options.upsertOn ? type.fields.find((f) => f.name === options.upsertOn) : undefined;
    if (options.upsertOn && !upsertField?.unique) {
      throw new ValidationError(`upsertOn must name a unique field of ${typeName}`, [
        { path: ["upsertOn"], message: upsertField ? "not unique" : "unknown field" },
      ]);
    }
    return { type, upsertField };
  }

  function newJob(actor: Actor, type: EntityType, options: ImportOptions): ImportJobRecord {
    const now = ctx.clock.now().toISOString();
    return {
      kind: "import",
      organisation: actor.organisation,
      id: ctx.ids.next(),
      type: type.name,
      format: options.format,
      mode: options.mode ?? ImportMode.allOrNothing,
      dryRun: options.dryRun ?? false,
      ...(options.upsertOn && { upsertOn: options.upsertOn }),
      ...(options.spool && { spool: options.spool }),
      status: "running",
      cancelRequested: false,
      rows: 0,
      rowsDone: 0,
      created: 0,
      updated: 0,
      failed: 0,
      committed: false,
      errors: [],
      moreErrors: 0,
      notRolledBack: [],
      undoRecords: 0,
      startedAt: now,
      updatedAt: now,
      version: 0,
    };
  }

  /** Saves the job's progress; a cancel written meanwhile (by any process) is kept and honoured. */
  async function save(job: ImportJobRecord): Promise<void> {
    for (;;) {
      const next = { ...job, updatedAt: ctx.clock.now().toISOString(), version: job.version + 1 };
      try {
        await store.saveJob(next, job.version === 0 ? null : job.version);
        job.version = next.version;
        job.updatedAt = next.updatedAt;
        return;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const current = await store.getJob(job.organisation, job.id);
        if (current?.kind !== "import") throw error;
        job.cancelRequested ||= current.cancelRequested;
        job.version = current.version;
      }
    }
  }

  async function run(
    actor: Actor,
    job: ImportJobRecord,
    source: ByteSource,
    maxBytes: number | undefined,
    cancelled: () => boolean,
  ): Promise<ImportJobRecord> {
    const org = actor.organisation;
    const { type, upsertField } = await prepare(actor, job.type, job as ImportOptions);
    const allOrNothing = job.mode === ImportMode.allOrNothing;
    const skipThrough = job.rowsDone;
    const failedRows = new Set<number>();
    const fail = (row: number, message: string, field?: string) => {
      if (!failedRows.has(row)) {
        failedRows.add(row);
        job.failed++;
      }
      if (job.errors.length < maxErrors) job.errors.push({ row, ...(field && { field }), message });
      else job.moreErrors++;
    };
    const stopped = () => allOrNothing && job.failed > 0;

    const keyToId = new Map<string, string>();
    const fileIds = new Set<string>();
    const deferred: Deferred[] = [];
    let batch: Pending[] = [];
    let batchItems = 0;

    // Undo records: `<job>.undo.<n>`, each rewritten as it grows, a new one every `undoPerRecord` entries.
    let undo: ImportUndoEntry[] = [];
    let undoIndex = job.undoRecords;
    let undoVersion = 0;
    while (skipThrough > 0 && (await store.getJob(org, `${job.id}.undo.${undoIndex}`))) undoIndex++;
    /** Write-ahead: what a batch is about to write is saved before it is written. */
    const remember = async (entries: ImportUndoEntry[]) => {
      if (!allOrNothing || job.dryRun || entries.length === 0) return;
      undo.push(...entries);
      const record: ImportUndoRecord = {
        kind: "import-undo",
        organisation: org,
        id: `${job.id}.undo.${undoIndex}`,
        entries: undo,
        version: undoVersion + 1,
      };
      await store.saveJob(record, undoVersion === 0 ? null : undoVersion);
      undoVersion++;
      if (undo.length >= undoPerRecord) {
        undoIndex++;
        undo = [];
        undoVersion = 0;
      }
      job.undoRecords = undoIndex + (undo.length > 0 ? 1 : 0);
    };

    const commitOne = async (pending: Pending[]): Promise<boolean> => {
      await remember(
        pending.map((p) => ({
          id: p.write.entity.id,
          row: p.row,
          wrote: p.write.entity.version,
          ...(p.write.op === "update" && { before: p.write.previous }),
        })),
      );
      try {
        await ctx.commit(
          actor,
          pending.map((p) => p.write),
        );
      } catch (error) {
        if (!(error instanceof RegistryError) || error.code === RegistryErrorCode.store) throw error;
        if (pending.length === 1) {
          fail(pending[0]!.row, error.message);
          return false;
        }
        let ok = true;
        for (const p of pending) if (!(await commitOne([p]))) ok = false;
        return ok;
      }
      for (const p of pending) {
        if (p.write.op === "create") job.created++;
        else job.updated++;
      }
      return true;
    };

    const flush = async (rowsDone: number) => {
      const pending = batch;
      batch = [];
      batchItems = 0;
      if (pending.length > 0 && !stopped()) await commitOne(pending);
      job.rowsDone = rowsDone;
      await save(job);
      if (cancelled() || job.cancelRequested) throw new Stop("cancelled");
    };

    const selfLinks = type.fields.filter((f) => f.type === "link" && f.link?.target === type.name);
    const keyOf = (value: unknown): string | null => {
      if (!upsertField) return null;
      const parsed = fieldValueSchema(upsertField).safeParse(
        typeof value === "string" && upsertField.type !== "string"
          ? coerceFromText(upsertField, value)
          : value,
      );
      return parsed.success ? indexKey(upsertField.type, parsed.data) : null;
    };

    let bytes = 0;
    const counted = countBytes(source, (n) => {
      bytes += n;
      if (maxBytes !== undefined && bytes > maxBytes) {
        throw new RegistryError(
          RegistryErrorCode.payloadTooLarge,
          `The upload is larger than ${maxBytes} bytes`,
        );
      }
    });

    try {
      job.rows = 0;
      const pause = createYielder();
      for await (const source_ of readRows(counted, job.format)) {
        await pause();
        const { row } = source_;
        job.rows = row;
        const skipped = row <= skipThrough;
        if (!source_.values) {
          if (!skipped) fail(row, source_.error ?? "unreadable row");
          continue;
        }
        const shaped = shapeRow(source_.values, type);
        const data: Record<string, unknown> = {};
        for (const [name, raw] of Object.entries(shaped.data)) {
          const field = type.fields.find((f) => f.name === name);
          if (job.format === "csv" && typeof raw === "string") {
            if (raw === "") continue;
            const text = raw.startsWith("'") && FORMULA_START.test(raw.slice(1)) ? raw.slice(1) : raw;
            data[name] = field ? coerceFromText(field, text) : text;
          } else data[name] = raw;
        }
        const rowDeferred: Deferred[] = [];
        for (const field of selfLinks) {
          const value = data[field.name];
          if (value === undefined || value === null) continue;
          const values = Array.isArray(value) ? (value as unknown[]) : [value];
          const resolved: string[] = [];
          const later: string[] = [];
          const ordered: Deferred["ordered"] = [];
          for (const v of values) {
            const key = keyOf(v);
            const inFile = key === null ? undefined : keyToId.get(key);
            const existing =
              inFile ?? (key === null ? null : await store.findUnique(org, type.name, upsertField!.id, key));
            const id =
              existing ??
              (typeof v === "string" && (fileIds.has(v) || (await store.getEntity(org, v))) ? v : undefined);
            if (id) resolved.push(id);
            else later.push(String(v));
            ordered.push({ value: String(v), ...(id && { id }) });
          }
          if (later.length > 0) rowDeferred.push({ row, id: "", field, keys: later, ordered });
          if (resolved.length === 0) delete data[field.name];
          else data[field.name] = field.link?.cardinality === "many" ? resolved : resolved[0]!;
        }
        let previous: StoredEntity | null = null;
        let key: string | null = null;
        if (upsertField) {
          key = keyOf(data[upsertField.name]);
          if (key !== null) {
            if (keyToId.has(key)) {
              if (!skipped) {
                fail(
                  row,
                  `another row of this file has ${upsertField.name} = ${String(data[upsertField.name])}`,
                  upsertField.name,
                );
              }
              continue;
            }
            const existingId = await store.findUnique(org, type.name, upsertField.id, key);
            previous = existingId ? await store.getEntity(org, existingId) : null;
          }
        }
        if (skipped) {
          // Decided before a crash: only rebuild what later rows refer to.
          const id = previous?.id ?? shaped.id;
          if (id) {
            if (key !== null) keyToId.set(key, id);
            if (selfLinks.length > 0) fileIds.add(id);
            for (const d of rowDeferred) deferred.push({ ...d, id });
          }
          continue;
        }
        if (previous && !canModify(actor, previous.owners)) {
          fail(row, `this actor may not modify ${type.name} '${previous.id}'`);
          continue;
        }
        const id = previous?.id ?? shaped.id ?? ctx.ids.next();
        let entity: StoredEntity;
        try {
          const merged = previous ? { ...decodeData(type, previous), ...data } : data;
          entity = await ctx.prepareEntity(
            actor,
            type,
            merged,
            { id, owners: shaped.owners, previous },
            fileIds,
          );
        } catch (error) {
          if (
            !(error instanceof ValidationError) &&
            !(error instanceof RegistryError && error.code === RegistryErrorCode.itemTooLarge)
          )
            throw error;
          const issues =
            error instanceof ValidationError ? error.issues : [{ path: [], message: error.message }];
          for (const issue of issues) {
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
        if (job.dryRun) {
          if (previous) job.updated++;
          else job.created++;
          continue;
        }
        if (stopped()) continue;
        const write: EntityWrite = previous ? { op: "update", entity, previous } : { op: "create", entity };
        const items = 1 + entity.index.length + entity.unique.length + 2 * entity.links.length;
        if (batchItems + items > maxItems) await flush(row - 1);
        batch.push({ row, write });
        batchItems += items;
      }
      if (job.rows === 0) {
        throw new ValidationError("The upload has no rows", [{ path: ["body"], message: "no rows" }]);
      }
      await flush(job.rows);

      for (const d of deferred) {
        const idOf = (k: string) => {
          const key = keyOf(k);
          return (key === null ? undefined : keyToId.get(key)) ?? (fileIds.has(k) ? k : undefined);
        };
        const missing = d.keys.filter((k) => !idOf(k));
        if (missing.length > 0) {
          fail(
            d.row,
            `no row or ${type.name} with ${upsertField ? `${upsertField.name} or ` : ""}id ${missing.join(", ")}`,
            d.field.name,
          );
          continue;
        }
        if (job.dryRun || stopped()) continue;
        const current = await store.getEntity(org, d.id);
        if (!current) continue;
        const data = decodeData(type, current);
        // The row's order, as written in the file: multi-links keep it through export and re-import.
        const ids = [...new Set(d.ordered.map((o) => o.id ?? idOf(o.value)!))];
        data[d.field.name] = d.field.link?.cardinality === "many" ? ids : ids[0]!;
        try {
          const entity = await ctx.prepareEntity(actor, type, data, { id: d.id, previous: current });
          await remember([{ id: d.id, row: d.row, wrote: entity.version, before: current }]);
          await ctx.commit(actor, [{ op: "update", entity, previous: current }]);
        } catch (error) {
          if (!(error instanceof RegistryError) || error.code === RegistryErrorCode.store) throw error;
          fail(d.row, error.message, d.field.name);
        }
      }
    } catch (error) {
      if (!(error instanceof Stop)) {
        job.stoppedBy = {
          code: error instanceof RegistryError ? error.code : RegistryErrorCode.store,
          message:
            error instanceof RegistryError ? error.message : "The import stopped on an unexpected error",
        };
        if (!(error instanceof RegistryError))
          ctx.logger.error("registry import failed", { operation: "import", error });
      }
      return finish(actor, job, error instanceof Stop ? "cancelled" : "failed");
    }
    if (job.dryRun) return finish(actor, job, job.failed > 0 ? "failed" : "completed");
    return finish(actor, job, stopped() ? "failed" : "completed");
  }

  async function finish(
    actor: Actor,
    job: ImportJobRecord,
    status: ImportJobRecord["status"],
  ): Promise<ImportJobRecord> {
    job.status = status;
    const keeps = !job.dryRun && (status === "completed" || job.mode === ImportMode.bestEffort);
    job.committed = keeps && (status === "completed" || job.created + job.updated > 0);
    if (!job.dryRun && !keeps) {
      job.notRolledBack = await rollback(actor, job);
      job.created = 0;
      job.updated = 0;
    }
    await save(job);
    return job;
  }

  /**
   * Undoes an all-or-nothing import from its saved undo records, newest first: an entity still at
   * the version the import wrote is restored (or deleted, if the import created it); one changed
   * since is left alone and reported.
   */
  async function rollback(actor: Actor, job: ImportJobRecord): Promise<ImportJobRecord["notRolledBack"]> {
    const org = actor.organisation;
    const entries: ImportUndoEntry[] = [];
    for (let n = 0; ; n++) {
      const record = await store.getJob(org, `${job.id}.undo.${n}`);
      if (record?.kind !== "import-undo") break;
      entries.push(...record.entries);
    }
    const latest = new Map<string, ImportUndoEntry>();
    for (const e of entries) {
      const known = latest.get(e.id);
      latest.set(e.id, known ? { ...known, wrote: Math.max(known.wrote, e.wrote) } : e);
    }
    const kept: ImportJobRecord["notRolledBack"] = [];
    let deletes: StoredEntity[] = [];
    for (const entry of [...latest.values()].reverse()) {
      const current = await store.getEntity(org, entry.id);
      if (!current) continue;
      const untouched = entry.before ? current.version === entry.before.version : false;
      if (untouched) continue;
      if (current.version !== entry.wrote) {
        kept.push({ id: entry.id, row: entry.row, version: current.version });
        continue;
      }
      if (entry.before) {
        const restored: StoredEntity = {
          ...entry.before,
          version: current.version + 1,
          updatedAt: ctx.clock.now().toISOString(),
        };
        await ctx.commit(actor, [{ op: "update", entity: restored, previous: current }]).catch((error) => {
          if (!(error instanceof ConflictError)) throw error;
          kept.push({ id: entry.id, row: entry.row, version: current.version });
        });
      } else deletes.push(current);
    }
    // Deletes go in groups; rows of the file may link to each other, so retry the ones that still hold links.
    while (deletes.length > 0) {
      const left: StoredEntity[] = [];
      for (let i = 0; i < deletes.length; i += 20) {
        const group = deletes.slice(i, i + 20);
        try {
          await ctx.commit(
            actor,
            group.map((entity) => ({ op: "delete", entity })),
          );
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          for (const entity of group) {
            await ctx.commit(actor, [{ op: "delete", entity }]).catch((e) => {
              if (!(e instanceof ConflictError)) throw e;
              left.push(entity);
            });
          }
        }
      }
      if (left.length === deletes.length) {
        for (const entity of left) {
          const current = await store.getEntity(org, entity.id);
          const row = latest.get(entity.id)?.row ?? 0;
          kept.push({ id: entity.id, row, version: current?.version ?? entity.version });
        }
        break;
      }
      deletes = [];
      for (const entity of left) {
        const current = await store.getEntity(org, entity.id);
        if (current && current.version === entity.version) deletes.push(current);
        else if (current)
          kept.push({ id: entity.id, row: latest.get(entity.id)?.row ?? 0, version: current.version });
      }
    }
    return kept;
  }

  function launch(actor: Actor, job: ImportJobRecord, source: ByteSource, maxBytes: number | undefined) {
    let cancelRequested = false;
    // While rows trickle in (or none come), the record still shows this job is alive.
    const heartbeat =
      staleAfterMs > 0
        ? setInterval(() => {
            if (job.status === "running") void save(job).catch(() => {});
          }, staleAfterMs / 3)
        : undefined;
    heartbeat?.unref();
    const done = run(actor, job, source, maxBytes, () => cancelRequested).finally(() => {
      clearInterval(heartbeat);
      running.delete(job.id);
    });
    done.catch(() => {});
    running.set(job.id, { done, cancel: () => (cancelRequested = true) });
    return done;
  }

  /** Records a new job and starts reading its rows; `done` settles with the final report. */
  async function begin(actor: Actor, typeName: string, source: ByteSource, options: ImportOptions) {
    const { type } = await prepare(actor, typeName, options);
    const job = newJob(actor, type, options);
    await save(job);
    return { job: { ...job }, done: launch(actor, job, source, options.maxBytes) };
  }

  return {
    /** Starts an import job and returns it at once; the rows are read and written in the background. */
    startImport: async (actor: Actor, typeName: string, source: ByteSource, options: ImportOptions) =>
      (await begin(actor, typeName, source, options)).job,

    /** Runs an import to its end and returns the report (a job all the same: readable by id). */
    importEntities: async (
      actor: Actor,
      typeName: string,
      source: ByteSource,
      options: ImportOptions,
    ): Promise<ImportReport> => (await begin(actor, typeName, source, options)).done,

    async getImport(actor: Actor, id: string): Promise<ImportJobRecord> {
      ctx.requireRole(actor, "read");
      return loadJob(actor, id);
    },

    /** Resolves when a job running in this process stops; reads the record otherwise. */
    async waitForImport(actor: Actor, id: string): Promise<ImportJobRecord> {
      ctx.requireRole(actor, "read");
      return (await running.get(id)?.done) ?? loadJob(actor, id);
    },

    /** Asks a running job to stop at its next batch; all-or-nothing imports are then undone. */
    async cancelImport(actor: Actor, id: string): Promise<ImportJobRecord> {
      ctx.requireRole(actor, "write");
      running.get(id)?.cancel();
      // Only the flag is written, on the record as it is now: a copy read before the job moved on
      // must never overwrite its progress or its end (a retried write after a lost response is
      // such a copy).
      for (;;) {
        const job = await loadJob(actor, id);
        if (job.status !== "running" || job.cancelRequested) return job;
        const next = {
          ...job,
          cancelRequested: true,
          updatedAt: ctx.clock.now().toISOString(),
          version: job.version + 1,
        };
        try {
          await store.saveJob(next, job.version);
          return next;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
    },

    /**
     * Continues a job a crash interrupted, from the first row not yet decided. Give it the same
     * upload again (or nothing, when the job records a spool the host can reopen).
     */
    async resumeImport(
      actor: Actor,
      id: string,
      source: ByteSource,
      options: { maxBytes?: number } = {},
    ): Promise<ImportJobRecord> {
      ctx.requireRole(actor, "write");
      if (running.has(id)) throw new ConflictError(`Import job '${id}' is running`);
      const job = await loadJob(actor, id);
      if (job.status !== "running") throw new ConflictError(`Import job '${id}' is ${job.status}`);
      const quietFor = ctx.clock.now().getTime() - Date.parse(job.updatedAt);
      if (quietFor < staleAfterMs) {
        throw new ConflictError(
          `Import job '${id}' moved ${Math.round(quietFor / 1000)} s ago: it is still running somewhere (resume it once it has been quiet for ${staleAfterMs / 1000} s)`,
          { details: { jobId: id, updatedAt: job.updatedAt } },
        );
      }
      if (job.cancelRequested)
        return launch(actor, job, emptySource(), undefined).then(() => loadJob(actor, id));
      void launch(actor, job, source, options.maxBytes);
      return { ...job };
    },
  };
}

export type ImportJobs = ReturnType<typeof importJobs>;

async function* emptySource(): AsyncGenerator<Uint8Array> {}

async function* countBytes(
  source: ByteSource,
  onBytes: (n: number) => void,
): AsyncGenerator<Uint8Array | string> {
  const iterable = (
    typeof (source as ReadableStream).getReader === "function"
      ? streamChunks(source as ReadableStream<Uint8Array>)
      : source
  ) as AsyncIterable<Uint8Array | string>;
  for await (const chunk of iterable) {
    onBytes(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength);
    yield chunk;
  }
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
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
