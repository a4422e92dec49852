import { EXPORT_CONTENT_TYPES, type ExportFormat, exportEntities } from "../bulk/export.js";
import type { ImportFormat } from "../bulk/row-sources.js";
import {
  ConflictError,
  PreconditionRequiredError,
  RegistryError,
  RegistryErrorCode,
  ValidationError,
} from "../errors.js";
import type { Actor } from "../model/actor.js";
import type { Entity } from "../model/entity.js";
import type { EntityTypeInput, EntityTypePatch, EntityTypeReplacement } from "../model/entity-type.js";
import type { SearchFilter } from "../search/filter.js";
import type { CreateEntityInput, UpdateEntityInput } from "../service/entities.js";
import type { ImportMode } from "../service/imports.js";
import type { RegistryService } from "../service/registry-service.js";
import type { ImportJobRecord } from "../store/registry-store.js";
import { dropSpool, spoolExists, spooled, spoolUpload } from "./spool.js";

export interface RouteContext {
  request: Request;
  url: URL;
  actor: Actor;
  params: Record<string, string>;
  service: RegistryService;
  /** The JSON body; its shape is the service's to check (it parses every input). */
  json<T = unknown>(): Promise<T>;
  search(): SearchFilter;
  ifMatch(): number | undefined;
  maxUploadBytes: number;
  /** The prefix the host mounts the API under ("" when none). */
  basePath: string;
  /** Dry runs up to this size answer with their report at once; larger ones are jobs. */
  maxSyncDryRunBytes: number;
}

type Handle = (context: RouteContext) => Promise<Response>;

interface Route {
  method: string;
  pattern: string[];
  handle: Handle;
}

function typeResponse(
  type: { version: number },
  status = 200,
  extra: Record<string, unknown> = {},
): Response {
  return Response.json({ ...type, ...extra }, { status, headers: { etag: `"${type.version}"` } });
}

function nameFrom(context: RouteContext, body?: unknown): string {
  const name =
    context.params.name ??
    context.url.searchParams.get("name") ??
    (body && typeof body === "object" ? (body as { name?: unknown }).name : undefined);
  if (typeof name !== "string" || name === "") {
    throw new ValidationError("Name the entity type in the path, ?name= or the body", [
      { path: ["name"], message: "required" },
    ]);
  }
  return name;
}

function withoutName(body: unknown): unknown {
  if (!body || typeof body !== "object") return body;
  const { name: _name, ...rest } = body as Record<string, unknown>;
  return rest;
}

export function entityResponse(entity: Entity, status = 200): Response {
  return Response.json(entity, { status, headers: { etag: `"${entity.version}"` } });
}

export function registryRoutes() {
  const routes: Route[] = [
    {
      method: "GET",
      pattern: ["entityType"],
      handle: async (c) =>
        Response.json(
          await c.service.listTypes(c.actor, { tag: c.url.searchParams.get("tag") ?? undefined }),
        ),
    },
    {
      method: "POST",
      pattern: ["entityType"],
      handle: async (c) =>
        typeResponse(await c.service.createType(c.actor, await c.json<EntityTypeInput>()), 201),
    },
    {
      method: "PATCH",
      pattern: ["entityType"],
      handle: async (c) => {
        const body = await c.json();
        return patchType(c, nameFrom(c, body), withoutName(body));
      },
    },
    {
      method: "DELETE",
      pattern: ["entityType"],
      handle: async (c) => {
        await c.service.deleteType(c.actor, nameFrom(c), c.ifMatch());
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "GET",
      pattern: ["entityType", ":name"],
      handle: async (c) => typeResponse(await c.service.getType(c.actor, nameFrom(c))),
    },
    {
      method: "PATCH",
      pattern: ["entityType", ":name"],
      handle: async (c) => patchType(c, nameFrom(c), await c.json()),
    },
    {
      method: "PUT",
      pattern: ["entityType", ":name"],
      handle: async (c) => {
        const expected = c.ifMatch();
        if (expected === undefined) {
          throw new PreconditionRequiredError(
            "PUT replaces the whole type: send If-Match with its current ETag",
          );
        }
        const body = await c.json<EntityTypeReplacement & { name?: string }>();
        const result = await c.service.replaceType(
          c.actor,
          nameFrom(c),
          withoutName(body) as EntityTypeReplacement,
          expected,
        );
        return typeResponse(result.type, 200, { migration: result.job, removed: result.removed });
      },
    },
    {
      method: "DELETE",
      pattern: ["entityType", ":name"],
      handle: async (c) => {
        await c.service.deleteType(c.actor, nameFrom(c), c.ifMatch());
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "POST",
      pattern: ["entityType", ":name", "migrations"],
      handle: async (c) => {
        const { dryRun, ...patch } = await c.json<EntityTypePatch & { dryRun?: boolean }>();
        if (dryRun === true) {
          const job = await c.service.migrations.dryRun(c.actor, nameFrom(c), patch);
          return Response.json(job, { status: 202, headers: { etag: `"${job.version}"` } });
        }
        const result = await c.service.changeType(c.actor, nameFrom(c), patch, {
          expectedVersion: c.ifMatch(),
        });
        return typeResponse(result.type, result.job ? 202 : 200, {
          migration: result.job,
          removed: result.removed,
        });
      },
    },
    {
      method: "GET",
      pattern: ["entityType", ":name", "migrations", ":id"],
      handle: async (c) => versioned(await c.service.migrations.get(c.actor, c.params.id!)),
    },
    {
      method: "POST",
      pattern: ["entityType", ":name", "migrations", ":id", "resume"],
      handle: async (c) => versioned(await c.service.migrations.resume(c.actor, c.params.id!), 202),
    },
    {
      method: "GET",
      pattern: ["entity", ":type", "imports", ":id"],
      handle: async (c) => versioned(await c.service.getImport(c.actor, c.params.id!)),
    },
    {
      method: "POST",
      pattern: ["entity", ":type", "imports", ":id", "cancel"],
      handle: async (c) => versioned(await c.service.cancelImport(c.actor, c.params.id!), 202),
    },
    { method: "POST", pattern: ["entity", ":type", "imports", ":id", "resume"], handle: resumeUpload },
    { method: "POST", pattern: ["entity", ":type", "upload"], handle: upload },
    { method: "GET", pattern: ["entity", ":type", "download"], handle: download },
    {
      method: "POST",
      pattern: ["entity", ":type"],
      handle: async (c) =>
        entityResponse(
          await c.service.createEntity(c.actor, c.params.type!, await c.json<CreateEntityInput>()),
          201,
        ),
    },
    {
      method: "GET",
      pattern: ["entity", ":type"],
      handle: async (c) => Response.json(await c.service.search(c.actor, c.params.type!, c.search())),
    },
    {
      method: "GET",
      pattern: ["entity", ":type", "search"],
      handle: async (c) => Response.json(await c.service.search(c.actor, c.params.type!, c.search())),
    },
    {
      method: "POST",
      pattern: ["entity", ":type", "search"],
      handle: async (c) =>
        Response.json(await c.service.search(c.actor, c.params.type!, await c.json<SearchFilter>())),
    },
    {
      method: "GET",
      pattern: ["entity", ":type", ":id"],
      handle: async (c) => entityResponse(await c.service.getEntity(c.actor, c.params.type!, c.params.id!)),
    },
    {
      method: "PATCH",
      pattern: ["entity", ":type", ":id"],
      handle: async (c) =>
        entityResponse(
          await c.service.updateEntity(
            c.actor,
            c.params.type!,
            c.params.id!,
            await c.json<UpdateEntityInput>(),
            c.ifMatch(),
          ),
        ),
    },
    {
      method: "DELETE",
      pattern: ["entity", ":type", ":id"],
      handle: async (c) => {
        await c.service.deleteEntity(c.actor, c.params.type!, c.params.id!, c.ifMatch());
        return new Response(null, { status: 204 });
      },
    },
  ];

  return {
    match(method: string, segments: string[]) {
      let pathMatched = false;
      for (const route of routes) {
        if (route.pattern.length !== segments.length) continue;
        const params: Record<string, string> = {};
        const ok = route.pattern.every((p, i) => {
          if (p.startsWith(":")) {
            params[p.slice(1)] = segments[i]!;
            return true;
          }
          return p === segments[i];
        });
        if (!ok) continue;
        pathMatched = true;
        if (route.method === method) return { params, handle: route.handle };
      }
      return pathMatched ? ("method-not-allowed" as const) : null;
    },
  };
}

async function patchType(c: RouteContext, name: string, body: unknown): Promise<Response> {
  const result = await c.service.changeType(c.actor, name, body as EntityTypePatch, {
    expectedVersion: c.ifMatch(),
  });
  return typeResponse(result.type, 200, {
    migrationRequired: result.job !== null,
    migration: result.job,
    removed: result.removed,
  });
}

function versioned(record: { version: number }, status = 200): Response {
  return Response.json(record, { status, headers: { etag: `"${record.version}"` } });
}

function importFormat(c: RouteContext): ImportFormat {
  const explicit = c.url.searchParams.get("format");
  const contentType = c.request.headers.get("content-type") ?? "";
  const format =
    explicit ??
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

async function upload(c: RouteContext): Promise<Response> {
  const format = importFormat(c);
  const params = c.url.searchParams;
  const mode = (params.get("mode") ?? "all-or-nothing") as ImportMode;
  if (mode !== "all-or-nothing" && mode !== "best-effort") {
    throw new ValidationError("mode is all-or-nothing or best-effort", [{ path: ["mode"], message: mode }]);
  }
  const declared = Number(c.request.headers.get("content-length") ?? Number.NaN);
  if (declared === 0 || !c.request.body) throw emptyUpload();
  const options = {
    format,
    mode,
    dryRun: params.get("dryRun") === "true",
    ...(params.get("upsertOn") && { upsertOn: params.get("upsertOn")! }),
  };
  // Checks the type, role and options before reading a byte; then the declared length.
  await c.service.getType(c.actor, c.params.type!);
  if (declared > c.maxUploadBytes) {
    throw new RegistryError(
      RegistryErrorCode.payloadTooLarge,
      `The upload is larger than ${c.maxUploadBytes} bytes`,
    );
  }
  const spool = await spoolUpload(c.request.body, c.maxUploadBytes);
  if (spool.bytes === 0) {
    await dropSpool(spool.path);
    throw emptyUpload();
  }
  if (options.dryRun && spool.bytes <= c.maxSyncDryRunBytes) {
    try {
      const report = await c.service.importEntities(c.actor, c.params.type!, spooled(spool.path), options);
      return Response.json(report, { status: reportStatus(report) });
    } finally {
      await dropSpool(spool.path);
    }
  }
  const job = await c.service.startImport(c.actor, c.params.type!, spooled(spool.path), {
    ...options,
    spool: spool.path,
  });
  void c.service.waitForImport(c.actor, job.id).finally(() => dropSpool(spool.path));
  return importAccepted(c, job);
}

function importAccepted(c: RouteContext, job: ImportJobRecord): Response {
  return Response.json(job, {
    status: 202,
    headers: {
      location: `${c.basePath}/entity/${encodeURIComponent(job.type)}/imports/${job.id}`,
      etag: `"${job.version}"`,
    },
  });
}

/** Continues an import a crash interrupted: from its spool when the file is still there, else from the re-sent upload. */
async function resumeUpload(c: RouteContext): Promise<Response> {
  const job = await c.service.getImport(c.actor, c.params.id!);
  let spool: string | undefined;
  if (job.spool && (await spoolExists(job.spool))) spool = job.spool;
  else if (c.request.body) spool = (await spoolUpload(c.request.body, c.maxUploadBytes)).path;
  else
    throw new ConflictError("The upload's spool is gone: send the same file again to resume", {
      details: { jobId: job.id },
    });
  const resumed = await c.service.resumeImport(c.actor, job.id, spooled(spool));
  void c.service.waitForImport(c.actor, job.id).finally(() => dropSpool(spool!));
  return importAccepted(c, resumed);
}

function emptyUpload(): ValidationError {
  return new ValidationError("The upload is empty", [{ path: ["body"], message: "empty" }]);
}

async function download(c: RouteContext): Promise<Response> {
  const format = (c.url.searchParams.get("format") ?? "ndjson") as ExportFormat;
  if (format !== "csv" && format !== "ndjson") {
    throw new ValidationError("format is csv or ndjson", [{ path: ["format"], message: format }]);
  }
  const { limit: _limit, ...filter } = c.search();
  const body = await exportEntities(c.service, c.actor, c.params.type!, { format, filter });
  return new Response(body, {
    headers: {
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${c.params.type}.${format === "csv" ? "csv" : "ndjson"}"`,
    },
  });
}
