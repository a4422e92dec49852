import { EXPORT_CONTENT_TYPES, type ExportFormat, exportEntities } from "../bulk/export.js";
import { type ImportMode, importEntities } from "../bulk/import.js";
import type { ImportFormat } from "../bulk/row-sources.js";
import { RegistryError, RegistryErrorCode, ValidationError } from "../errors.js";
import type { Migrations } from "../migration/migrations.js";
import type { Actor } from "../model/actor.js";
import type { Entity } from "../model/entity.js";
import type { SearchFilter } from "../search/filter.js";
import type { RegistryService } from "../service/registry-service.js";

export interface RouteContext {
  request: Request;
  url: URL;
  actor: Actor;
  params: Record<string, string>;
  service: RegistryService;
  migrations: Migrations;
  json(): Promise<unknown>;
  search(): SearchFilter;
  ifMatch(): number | undefined;
  maxUploadBytes: number;
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
      handle: async (c) => typeResponse(await c.service.createType(c.actor, await c.json()), 201),
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
        const body = (await c.json()) as Record<string, unknown>;
        const { dryRun, ...patch } = body;
        if (dryRun === true)
          return Response.json(await c.migrations.dryRun(c.actor, nameFrom(c), patch), { status: 202 });
        const result = await c.migrations.changeType(c.actor, nameFrom(c), patch, c.ifMatch());
        return typeResponse(result.type, result.job ? 202 : 200, { migration: result.job });
      },
    },
    {
      method: "GET",
      pattern: ["entityType", ":name", "migrations", ":id"],
      handle: async (c) => Response.json(await c.migrations.get(c.actor, c.params.id!)),
    },
    {
      method: "POST",
      pattern: ["entityType", ":name", "migrations", ":id", "resume"],
      handle: async (c) => Response.json(await c.migrations.resume(c.actor, c.params.id!), { status: 202 }),
    },
    { method: "POST", pattern: ["entity", ":type", "upload"], handle: upload },
    { method: "GET", pattern: ["entity", ":type", "download"], handle: download },
    {
      method: "POST",
      pattern: ["entity", ":type"],
      handle: async (c) =>
        entityResponse(await c.service.createEntity(c.actor, c.params.type!, await c.json()), 201),
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
      handle: async (c) => Response.json(await c.service.search(c.actor, c.params.type!, await c.json())),
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
          await c.service.updateEntity(c.actor, c.params.type!, c.params.id!, await c.json(), c.ifMatch()),
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
  const result = await c.migrations.changeType(c.actor, name, body, c.ifMatch());
  return typeResponse(result.type, 200, { migrationRequired: result.job !== null, migration: result.job });
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

function limited(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          controller.error(
            new RegistryError(
              RegistryErrorCode.payloadTooLarge,
              `The upload is larger than ${maxBytes} bytes`,
            ),
          );
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

async function upload(c: RouteContext): Promise<Response> {
  const format = importFormat(c);
  const params = c.url.searchParams;
  const mode = (params.get("mode") ?? "all-or-nothing") as ImportMode;
  if (mode !== "all-or-nothing" && mode !== "best-effort") {
    throw new ValidationError("mode is all-or-nothing or best-effort", [{ path: ["mode"], message: mode }]);
  }
  if (!c.request.body)
    throw new ValidationError("The upload is empty", [{ path: ["body"], message: "empty" }]);
  const report = await importEntities(
    c.service,
    c.actor,
    c.params.type!,
    limited(c.request.body, c.maxUploadBytes),
    {
      format,
      mode,
      dryRun: params.get("dryRun") === "true",
      ...(params.get("upsertOn") && { upsertOn: params.get("upsertOn")! }),
    },
  );
  const status = report.failed === 0 ? (report.dryRun ? 200 : 201) : report.committed ? 207 : 422;
  return Response.json(report, { status });
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
