import { ValidationError } from "../errors.js";
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
  const result = await c.service.updateType(c.actor, name, body, c.ifMatch());
  return typeResponse(result.type, 200, { migrationRequired: result.migrationRequired });
}
