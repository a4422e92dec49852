import { z } from "zod";
import { publishPackage } from "../packages/publish-package.js";
import type { PublishablePackageRepository } from "../packages/publishable-repository.js";
import type { Clock } from "../profiles/clock.js";
import type { ProfileService } from "../profiles/profile-service.js";
import { parseProfileName } from "../profiles/profile-service.js";
import { resolve } from "../resolver/resolve.js";
import type { ResolveOptions } from "../resolver/types.js";
import type { Resolver } from "../resolver/worker/resolver-pool.js";
import { parseRequirement } from "../version/requirement.js";
import { HttpError, toErrorResponse } from "./errors.js";
import { parseWith, queryObject, readJson } from "./request.js";

/** Who is calling; `id` is recorded as the author of changes. */
export interface Actor {
  id: string;
}

export interface ProfileDepsHttpOptions {
  service: ProfileService;
  repository: PublishablePackageRepository;
  /** Returns the caller, or `null` to answer 401. Without it every caller is `anonymous`. */
  authenticate?: (request: Request) => Actor | null | Promise<Actor | null>;
  /** Applied to `POST /resolve` (e.g. a step or time budget); request options cannot lift it. */
  resolveOptions?: ResolveOptions;
  /** How `POST /resolve` resolves: default on this thread; a `ResolverPool`'s `resolve` runs off it. */
  resolver?: Resolver;
  /** Path prefix the routes live under (default none: `/profiles`, `/resolve`, `/packages`). */
  basePath?: string;
  clock?: Clock;
  /** Unexpected errors (500s); default logs to stderr. */
  onError?: (error: unknown) => void;
}

const positiveInt = z.coerce.number().int().positive();

const listQuery = z.object({
  tag: z.string().min(1).optional(),
  status: z.enum(["pending", "valid", "invalid", "error"]).optional(),
  parent: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().min(1).optional(),
});
const pageQuery = listQuery.pick({ limit: true, cursor: true });
const diffQuery = z.object({ from: positiveInt, to: positiveInt });
const lockQuery = z.object({ revision: positiveInt.optional() });
const deleteQuery = z.object({ expectedRevision: positiveInt.optional() });

const resolveBody = z
  .object({
    requests: z.array(z.string().trim().min(1).max(500)).max(500),
    /** Resolve as of this time (epoch seconds). */
    timestamp: z.number().int().nonnegative().optional(),
    variantSelectMode: z.enum(["version_priority", "intersection_priority"]).optional(),
  })
  .strict();

type Route = {
  method: string;
  pattern: string[];
  run: (ctx: {
    request: Request;
    url: URL;
    params: Record<string, string>;
    actor: Actor;
  }) => Promise<Response>;
};

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** A profile, with its revision as the ETag a later `If-Match` can name. */
const profileJson = (profile: { revision: number }, status = 200) =>
  Response.json(profile, { status, headers: { etag: `"${profile.revision}"` } });

function matchPath(pattern: readonly string[], segments: readonly string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

/** `If-Match: "3"` (or `3`) as an expected revision, when the body does not carry one. */
function ifMatchRevision(request: Request): number | undefined {
  const header = request.headers.get("if-match");
  if (!header) return undefined;
  const n = Number(header.replace(/^W\//, "").replace(/"/g, ""));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The profile-deps HTTP API as a Web-standard fetch handler: profiles with revisions, diff,
 * lock; `POST /resolve`; package publishing and lookup. Errors are
 * `{ "error": { "code", "message", "details" } }` with the matching status.
 */
export function createProfileDepsHandler(
  options: ProfileDepsHttpOptions,
): (request: Request) => Promise<Response> {
  const { service, repository } = options;
  const base = (options.basePath ?? "").replace(/\/+$/, "");
  const onError = options.onError ?? ((error: unknown) => console.error("[profile-deps/http]", error));
  const name = (params: Record<string, string>) => parseProfileName(params.name!);

  const routes: Route[] = [
    {
      method: "POST",
      pattern: ["profiles"],
      run: async ({ request, actor }) =>
        profileJson(await service.create((await readJson(request)) as never, { actor: actor.id }), 201),
    },
    {
      method: "GET",
      pattern: ["profiles"],
      run: async ({ url }) => json(await service.list(parseWith(listQuery, queryObject(url), "query"))),
    },
    {
      method: "GET",
      pattern: ["profiles", ":name"],
      run: async ({ params }) => profileJson(await service.get(name(params))),
    },
    {
      method: "PUT",
      pattern: ["profiles", ":name"],
      run: async ({ request, params, actor }) => {
        const body = await readJson(request);
        const expected = ifMatchRevision(request);
        const input =
          expected !== undefined && typeof body === "object" && body !== null && !("expectedRevision" in body)
            ? { ...body, expectedRevision: expected }
            : body;
        return profileJson(await service.update(name(params), input as never, { actor: actor.id }));
      },
    },
    {
      method: "DELETE",
      pattern: ["profiles", ":name"],
      run: async ({ request, url, params }) => {
        const query = parseWith(deleteQuery, queryObject(url), "query");
        const expectedRevision = query.expectedRevision ?? ifMatchRevision(request);
        await service.delete(name(params), expectedRevision === undefined ? {} : { expectedRevision });
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "GET",
      pattern: ["profiles", ":name", "revisions"],
      run: async ({ url, params }) =>
        json(await service.history(name(params), parseWith(pageQuery, queryObject(url), "query"))),
    },
    {
      method: "GET",
      pattern: ["profiles", ":name", "revisions", ":revision"],
      run: async ({ params }) =>
        json(await service.getRevision(name(params), parseWith(positiveInt, params.revision, "revision"))),
    },
    {
      method: "GET",
      pattern: ["profiles", ":name", "diff"],
      run: async ({ url, params }) => {
        const { from, to } = parseWith(diffQuery, queryObject(url), "query");
        return json(await service.diff(name(params), from, to));
      },
    },
    {
      method: "GET",
      pattern: ["profiles", ":name", "lock"],
      run: async ({ url, params }) => {
        const { revision } = parseWith(lockQuery, queryObject(url), "query");
        return json(await service.lock(name(params), revision));
      },
    },
    {
      method: "POST",
      pattern: ["profiles", ":name", "revalidate"],
      run: async ({ params }) => json(await service.revalidate(name(params)), 202),
    },
    {
      method: "GET",
      pattern: ["profiles", ":name", "effective-request"],
      run: async ({ params }) => json({ request: await service.effectiveRequest(name(params)) }),
    },
    {
      method: "POST",
      pattern: ["resolve"],
      run: async ({ request }) => {
        const body = parseWith(resolveBody, await readJson(request), "body");
        for (const [i, text] of body.requests.entries()) {
          try {
            parseRequirement(text);
          } catch (error) {
            throw new HttpError("INVALID_REQUIREMENT", (error as Error).message, { path: `requests.${i}` });
          }
        }
        const resolveOptions: ResolveOptions = {
          ...(body.timestamp !== undefined ? { timestamp: body.timestamp } : {}),
          ...(body.variantSelectMode ? { variantSelectMode: body.variantSelectMode } : {}),
          ...options.resolveOptions,
        };
        const result = await (options.resolver ?? resolve)(body.requests, repository, resolveOptions);
        return json(result);
      },
    },
    {
      method: "POST",
      pattern: ["packages"],
      run: async ({ request }) =>
        json(
          await publishPackage(
            repository,
            await readJson(request),
            options.clock ? { clock: options.clock } : {},
          ),
          201,
        ),
    },
    {
      method: "GET",
      pattern: ["packages", ":family"],
      run: async ({ params }) => {
        const family = await repository.getFamily(params.family!);
        if (!family)
          throw new HttpError("NOT_FOUND", `Package family not found: ${params.family}`, {
            family: params.family,
          });
        return json({
          name: family.name,
          versions: family.packages.map((p) => ({
            version: p.version.text,
            requires: p.requires,
            ...(p.variantRequires ? { variants: p.variantRequires } : {}),
            ...(p.timestamp !== null ? { timestamp: p.timestamp } : {}),
          })),
        });
      },
    },
  ];

  return async (request) => {
    try {
      const url = new URL(request.url);
      if (base && !(url.pathname === base || url.pathname.startsWith(`${base}/`))) {
        throw new HttpError("NOT_FOUND", `No route for ${url.pathname}`);
      }
      const segments = url.pathname
        .slice(base.length)
        .split("/")
        .filter((s) => s !== "")
        .map((s) => {
          try {
            return decodeURIComponent(s);
          } catch {
            throw new HttpError("INVALID_REQUEST", `Malformed path segment: ${s}`);
          }
        });
      const matching = routes
        .map((route) => ({ route, params: matchPath(route.pattern, segments) }))
        .filter((m) => m.params !== null);
      if (matching.length === 0) throw new HttpError("NOT_FOUND", `No route for ${url.pathname}`);
      const method = request.method === "HEAD" ? "GET" : request.method;
      const match = matching.find((m) => m.route.method === method);
      if (!match) {
        const allow = [...new Set(matching.map((m) => m.route.method))].join(", ");
        throw new HttpError(
          "METHOD_NOT_ALLOWED",
          `${request.method} is not allowed on ${url.pathname}`,
          {},
          { allow },
        );
      }
      let actor: Actor = { id: "anonymous" };
      if (options.authenticate) {
        const found = await options.authenticate(request);
        if (!found) throw new HttpError("UNAUTHENTICATED", "Authentication required");
        actor = found;
      }
      return await match.route.run({ request, url, params: match.params!, actor });
    } catch (error) {
      return toErrorResponse(error, onError);
    }
  };
}
