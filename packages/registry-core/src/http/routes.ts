import {
  entityTag,
  HttpError,
  HttpErrorCode,
  ifMatchVersion,
  limitedChunks,
  type Route,
  type RouteContext,
} from "@portside/http";
import { z } from "zod";
import { EXPORT_CONTENT_TYPES, exportEntities } from "../bulk/export.js";
import type { ImportFormat } from "../bulk/row-sources.js";
import { ConflictError, PreconditionRequiredError, ValidationError } from "../errors.js";
import type { Actor } from "../model/actor.js";
import type { EntityTypeInput, EntityTypePatch, EntityTypeReplacement } from "../model/entity-type.js";
import type { SearchFilter } from "../search/filter.js";
import { parseSearchParams } from "../search/query-string.js";
import type { CreateEntityInput, UpdateEntityInput } from "../service/entities.js";
import type { ImportMode } from "../service/imports.js";
import type { RegistryService } from "../service/registry-service.js";
import type { ImportJobRecord } from "../store/registry-store.js";
import { dropSpool, spoolExists, spooled, spoolUpload } from "./spool.js";

/** The layer's actor, carrying the registry's own (whose id is null when anonymous). */
export interface HttpActor {
  id: string;
  roles: readonly string[];
  registry: Actor;
}

interface RegistryRoutesOptions {
  service: RegistryService;
  maxUploadBytes: number;
  maxSyncDryRunBytes: number;
  basePath: string;
}

type Context = RouteContext<HttpActor>;

const versioned = (record: { version: number }, status = 200, extra: Record<string, unknown> = {}) =>
  Response.json({ ...record, ...extra }, { status, headers: { etag: entityTag(record.version) } });

/** `If-Match: "3"` as the version 3; absent or `*` gives undefined; anything else can never match (412). */
function expectedVersion(request: Request): number | undefined {
  const tag = ifMatchVersion(request);
  if (tag === undefined) return undefined;
  const version = Number(tag);
  if (!Number.isSafeInteger(version)) {
    throw new HttpError(
      HttpErrorCode.preconditionFailed,
      "If-Match names a version the registry never issued",
    );
  }
  return version;
}

/** A JSON body (the service parses its shape); an empty one is `{}`. */
const body = <T>(c: Context) => c.optionalJson(z.unknown(), {}) as Promise<T>;

function nameFrom(c: Context, fromBody?: unknown): string {
  const name =
    c.params.name ??
    c.url.searchParams.get("name") ??
    (fromBody && typeof fromBody === "object" ? (fromBody as { name?: unknown }).name : undefined);
  if (typeof name !== "string" || name === "") {
    throw new ValidationError("Name the entity type in the path, ?name= or the body", [
      { path: ["name"], message: "required" },
    ]);
  }
  return name;
}

function withoutName<T>(value: T): T {
  if (!value || typeof value !== "object") return value;
  const { name: _name, ...rest } = value as Record<string, unknown>;
  return rest as T;
}

function importFormat(c: Context): ImportFormat {
  const contentType = c.request.headers.get("content-type") ?? "";
  const format =
    c.url.searchParams.get("format") ??
    (contentType.includes("csv")
      ? "csv"
      : contentType.includes("ndjson") || contentType.includes("jsonl")
        ? "ndjson"
        : contentType.includes("json")
          ? "json"
          : null);
  if (format !== "csv" && format !== "ndjson" && format !== "json") {
    throw new ValidationError("Say the upload's format: ?format=csv|ndjson|json or its Content-Type", [
      { path: ["format"], message: `unsupported '${format ?? contentType}'` },
    ]);
  }
  return format;
}

/** The status a finished import answers with: 201 all rows, 207 some kept, 422 none kept, 200 a clean dry run. */
function reportStatus(report: ImportJobRecord): number {
  if (report.failed === 0 && report.status === "completed") return report.dryRun ? 200 : 201;
  return report.committed ? 207 : 422;
}

const emptyUpload = () => new ValidationError("The upload is empty", [{ path: ["body"], message: "empty" }]);

export function registryRoutes(options: RegistryRoutesOptions): Route<HttpActor>[] {
  const { service } = options;
  const uploadLimit = options.maxUploadBytes;

  const patchType = async (c: Context, name: string, patch: EntityTypePatch) => {
    const result = await service.changeType(c.actor.registry, name, patch, {
      expectedVersion: expectedVersion(c.request),
    });
    return versioned(result.type, 200, {
      migrationRequired: result.job !== null,
      migration: result.job,
      removed: result.removed,
    });
  };
  const deleteType = async (c: Context) => {
    await service.deleteType(c.actor.registry, nameFrom(c), expectedVersion(c.request));
    return new Response(null, { status: 204 });
  };
  const search = async (c: Context, filter: SearchFilter) =>
    Response.json(await service.search(c.actor.registry, c.params.type!, filter));

  const importAccepted = (job: ImportJobRecord) =>
    Response.json(job, {
      status: 202,
      headers: {
        location: `${options.basePath}/entity/${encodeURIComponent(job.type)}/imports/${job.id}`,
        etag: entityTag(job.version),
      },
    });

  async function upload(c: Context): Promise<Response> {
    const format = importFormat(c);
    const params = c.url.searchParams;
    const mode = (params.get("mode") ?? "all-or-nothing") as ImportMode;
    if (mode !== "all-or-nothing" && mode !== "best-effort") {
      throw new ValidationError("mode is all-or-nothing or best-effort", [{ path: ["mode"], message: mode }]);
    }
    if (c.request.headers.get("content-length") === "0" || !c.request.body) throw emptyUpload();
    const importOptions = {
      format,
      mode,
      dryRun: params.get("dryRun") === "true",
      ...(params.get("upsertOn") && { upsertOn: params.get("upsertOn")! }),
    };
    // The type and the role are checked before a byte is read; the size by Content-Length, then while spooling.
    await service.getType(c.actor.registry, c.params.type!);
    const spool = await spoolUpload(limitedChunks(c.request, uploadLimit));
    if (spool.bytes === 0) {
      await dropSpool(spool.path);
      throw emptyUpload();
    }
    if (importOptions.dryRun && spool.bytes <= options.maxSyncDryRunBytes) {
      try {
        const report = await service.importEntities(
          c.actor.registry,
          c.params.type!,
          spooled(spool.path),
          importOptions,
        );
        return Response.json(report, { status: reportStatus(report) });
      } finally {
        await dropSpool(spool.path);
      }
    }
    const job = await service.startImport(c.actor.registry, c.params.type!, spooled(spool.path), {
      ...importOptions,
      spool: spool.path,
    });
    void service.waitForImport(c.actor.registry, job.id).then(
      () => dropSpool(spool.path),
      () => dropSpool(spool.path),
    );
    return importAccepted(job);
  }

  /** Continues an import a crash interrupted: from its spool when the file is still there, else from the re-sent upload. */
  async function resumeUpload(c: Context): Promise<Response> {
    const job = await service.getImport(c.actor.registry, c.params.id!);
    let spool: string;
    if (job.spool && (await spoolExists(job.spool))) spool = job.spool;
    else if (c.request.body && c.request.headers.get("content-length") !== "0") {
      spool = (await spoolUpload(limitedChunks(c.request, uploadLimit))).path;
    } else {
      throw new ConflictError("The upload's spool is gone: send the same file again to resume", {
        details: { jobId: job.id },
      });
    }
    const resumed = await service.resumeImport(c.actor.registry, job.id, spooled(spool));
    void service.waitForImport(c.actor.registry, job.id).then(
      () => dropSpool(spool),
      () => dropSpool(spool),
    );
    return importAccepted(resumed);
  }

  async function download(c: Context): Promise<Response> {
    const format = c.url.searchParams.get("format") ?? "ndjson";
    if (format !== "csv" && format !== "ndjson") {
      throw new ValidationError("format is csv or ndjson", [{ path: ["format"], message: format }]);
    }
    const { limit: _limit, ...filter } = parseSearchParams(c.url.searchParams);
    const stream = await exportEntities(service, c.actor.registry, c.params.type!, { format, filter });
    return new Response(stream, {
      headers: {
        "content-type": EXPORT_CONTENT_TYPES[format],
        "content-disposition": `attachment; filename="${c.params.type}.${format}"`,
      },
    });
  }

  return [
    {
      method: "GET",
      path: "/entityType",
      handle: async (c) =>
        Response.json(
          await service.listTypes(c.actor.registry, { tag: c.url.searchParams.get("tag") ?? undefined }),
        ),
    },
    {
      method: "POST",
      path: "/entityType",
      handle: async (c) =>
        versioned(await service.createType(c.actor.registry, await body<EntityTypeInput>(c)), 201),
    },
    {
      method: "PATCH",
      path: "/entityType",
      conditional: true,
      handle: async (c) => {
        const patch = await body<EntityTypePatch & { name?: string }>(c);
        return patchType(c, nameFrom(c, patch), withoutName(patch));
      },
    },
    { method: "DELETE", path: "/entityType", conditional: true, handle: deleteType },
    {
      method: "GET",
      path: "/entityType/:name",
      handle: async (c) => versioned(await service.getType(c.actor.registry, nameFrom(c))),
    },
    {
      method: "PATCH",
      path: "/entityType/:name",
      conditional: true,
      handle: async (c) => patchType(c, nameFrom(c), await body<EntityTypePatch>(c)),
    },
    {
      method: "PUT",
      path: "/entityType/:name",
      conditional: true,
      handle: async (c) => {
        const replacement = withoutName(await body<EntityTypeReplacement & { name?: string }>(c));
        const expected = expectedVersion(c.request);
        if (expected === undefined) {
          throw new PreconditionRequiredError(
            "PUT replaces the whole type: send If-Match with its current ETag",
          );
        }
        const result = await service.replaceType(c.actor.registry, nameFrom(c), replacement, expected);
        return versioned(result.type, 200, { migration: result.job, removed: result.removed });
      },
    },
    { method: "DELETE", path: "/entityType/:name", conditional: true, handle: deleteType },
    {
      method: "POST",
      path: "/entityType/:name/migrations",
      handle: async (c) => {
        const { dryRun, ...patch } = await body<EntityTypePatch & { dryRun?: boolean }>(c);
        if (dryRun === true)
          return versioned(await service.migrations.dryRun(c.actor.registry, nameFrom(c), patch), 202);
        const result = await service.changeType(c.actor.registry, nameFrom(c), patch, {
          expectedVersion: expectedVersion(c.request),
        });
        return versioned(result.type, result.job ? 202 : 200, {
          migration: result.job,
          removed: result.removed,
        });
      },
    },
    {
      method: "GET",
      path: "/entityType/:name/migrations/:id",
      handle: async (c) => versioned(await service.migrations.get(c.actor.registry, c.params.id!)),
    },
    {
      method: "POST",
      path: "/entityType/:name/migrations/:id/resume",
      handle: async (c) => versioned(await service.migrations.resume(c.actor.registry, c.params.id!), 202),
    },
    { method: "POST", path: "/entity/:type/upload", bodyLimit: uploadLimit, handle: upload },
    {
      method: "GET",
      path: "/entity/:type/imports/:id",
      handle: async (c) => versioned(await service.getImport(c.actor.registry, c.params.id!)),
    },
    {
      method: "POST",
      path: "/entity/:type/imports/:id/cancel",
      handle: async (c) => versioned(await service.cancelImport(c.actor.registry, c.params.id!), 202),
    },
    {
      method: "POST",
      path: "/entity/:type/imports/:id/resume",
      bodyLimit: uploadLimit,
      handle: resumeUpload,
    },
    { method: "GET", path: "/entity/:type/download", handle: download },
    {
      method: "POST",
      path: "/entity/:type",
      handle: async (c) =>
        versioned(
          await service.createEntity(c.actor.registry, c.params.type!, await body<CreateEntityInput>(c)),
          201,
        ),
    },
    { method: "GET", path: "/entity/:type", handle: (c) => search(c, parseSearchParams(c.url.searchParams)) },
    {
      method: "GET",
      path: "/entity/:type/search",
      handle: (c) => search(c, parseSearchParams(c.url.searchParams)),
    },
    {
      method: "POST",
      path: "/entity/:type/search",
      handle: async (c) => search(c, await body<SearchFilter>(c)),
    },
    {
      method: "GET",
      path: "/entity/:type/:id",
      handle: async (c) => versioned(await service.getEntity(c.actor.registry, c.params.type!, c.params.id!)),
    },
    {
      method: "PATCH",
      path: "/entity/:type/:id",
      conditional: true,
      handle: async (c) =>
        versioned(
          await service.updateEntity(
            c.actor.registry,
            c.params.type!,
            c.params.id!,
            await body<UpdateEntityInput>(c),
            expectedVersion(c.request),
          ),
        ),
    },
    {
      method: "DELETE",
      path: "/entity/:type/:id",
      conditional: true,
      handle: async (c) => {
        await service.deleteEntity(
          c.actor.registry,
          c.params.type!,
          c.params.id!,
          expectedVersion(c.request),
        );
        return new Response(null, { status: 204 });
      },
    },
  ];
}
