import {
  type Actor,
  type CorsOptions,
  createHttpHandler,
  entityTag,
  type FetchHandler,
  HttpError,
  HttpErrorCode,
  type HttpLogger,
  ifMatchVersion,
  parseInput,
  preconditionFailed,
  type Route,
} from "@portside/http";
import { z } from "zod";
import { ProfileDepsError, ProfileDepsErrorCode } from "../errors.js";
import { publishPackage } from "../packages/publish-package.js";
import type { PublishablePackageRepository } from "../packages/publishable-repository.js";
import type { Clock } from "../profiles/clock.js";
import type { ProfileService } from "../profiles/profile-service.js";
import { parseProfileName } from "../profiles/profile-service.js";
import { resolve } from "../resolver/resolve.js";
import type { ResolveOptions } from "../resolver/types.js";
import type { Resolver } from "../resolver/worker/resolver-pool.js";
import { parseRequirement } from "../version/requirement.js";
import { profileDepsErrors } from "./error-statuses.js";

export type { Actor };

/** Options of `createProfileDepsHandler`: the profile service, the package repository, authentication and resolve options. */
export interface ProfileDepsHandlerOptions {
  service: ProfileService;
  repository: PublishablePackageRepository;
  /**
   * The caller (`id` is recorded as the author of changes), or `null` to answer 401. Profile and
   * package writes need `writerRole`. Without it every caller is `anonymous` and may write.
   */
  authenticate?: (request: Request) => Actor | null | Promise<Actor | null>;
  /** Role profile and package writes need (default `writer`). */
  writerRole?: string;
  /** Applied to `POST /resolve` (e.g. a step or time budget); request options cannot lift it. */
  resolveOptions?: ResolveOptions;
  /** How `POST /resolve` resolves: default on this thread; a `ResolverPool`'s `resolve` runs off it. */
  resolver?: Resolver;
  /** Path prefix the routes live under (default none: `/profiles`, `/resolve`, `/packages`). */
  basePath?: string;
  clock?: Clock;
  /** `PUT` and `DELETE /profiles/:name` must carry `If-Match` (428 otherwise). */
  requirePreconditions?: boolean;
  /** Largest body (default 1 MiB). */
  maxBodyBytes?: number;
  logger?: HttpLogger;
  cors?: CorsOptions;
}

/** @deprecated Renamed `ProfileDepsHandlerOptions`. */
export type ProfileDepsHttpOptions = ProfileDepsHandlerOptions;

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

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** A profile, with its revision as the ETag a later `If-Match` names. */
const profileJson = (profile: { revision: number }, status = 200) =>
  Response.json(profile, { status, headers: { etag: entityTag(profile.revision) } });

/**
 * The revision an `If-Match` names. Profile ETags are revisions, so a tag that is not one can
 * never match: 412 straight away.
 */
function ifMatchRevision(request: Request): number | undefined {
  const version = ifMatchVersion(request);
  if (version === undefined) return undefined;
  const revision = Number(version);
  if (!Number.isSafeInteger(revision) || revision < 1) throw preconditionFailed();
  return revision;
}

/** A revision conflict the caller asked for with `If-Match` is a failed precondition (412), not a 409. */
async function underPrecondition<T>(fromHeader: boolean, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (
      fromHeader &&
      error instanceof ProfileDepsError &&
      error.code === ProfileDepsErrorCode.revisionConflict
    ) {
      throw new HttpError(HttpErrorCode.preconditionFailed, error.message, {
        details: error.details,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The profile-deps HTTP API as a Web-standard fetch handler on `@portside/http`: profiles with
 * revisions (ETag / If-Match), diff, lock; `POST /resolve`; package publishing and lookup.
 */
export function createProfileDepsHandler(options: ProfileDepsHandlerOptions): FetchHandler {
  const { service, repository } = options;
  const writer = [options.writerRole ?? "writer"];
  const name = (params: Record<string, string>) => parseProfileName(params.name!);

  const routes: Route[] = [
    {
      method: "POST",
      path: "/profiles",
      roles: writer,
      handle: async ({ json: body, actor }) =>
        profileJson(await service.create((await body()) as never, { actor: actor.id }), 201),
    },
    {
      method: "GET",
      path: "/profiles",
      handle: async ({ query }) => json(await service.list(parseInput(listQuery, query, "query"))),
    },
    {
      method: "GET",
      path: "/profiles/:name",
      handle: async ({ params }) => profileJson(await service.get(name(params))),
    },
    {
      method: "PUT",
      path: "/profiles/:name",
      roles: writer,
      conditional: true,
      handle: async ({ request, params, actor, json: body }) => {
        const input = await body();
        const expected = ifMatchRevision(request);
        const fromHeader =
          expected !== undefined &&
          typeof input === "object" &&
          input !== null &&
          !("expectedRevision" in input);
        const change = fromHeader ? { ...input, expectedRevision: expected } : input;
        return profileJson(
          await underPrecondition(fromHeader, () =>
            service.update(name(params), change as never, { actor: actor.id }),
          ),
        );
      },
    },
    {
      method: "DELETE",
      path: "/profiles/:name",
      roles: writer,
      conditional: true,
      handle: async ({ request, query, params }) => {
        const fromQuery = parseInput(deleteQuery, query, "query").expectedRevision;
        const expectedRevision = fromQuery ?? ifMatchRevision(request);
        const fromHeader = fromQuery === undefined && expectedRevision !== undefined;
        await underPrecondition(fromHeader, () =>
          service.delete(name(params), expectedRevision === undefined ? {} : { expectedRevision }),
        );
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "GET",
      path: "/profiles/:name/revisions",
      handle: async ({ query, params }) =>
        json(await service.history(name(params), parseInput(pageQuery, query, "query"))),
    },
    {
      method: "GET",
      path: "/profiles/:name/revisions/:revision",
      handle: async ({ params }) =>
        json(await service.getRevision(name(params), parseInput(positiveInt, params.revision, "revision"))),
    },
    {
      method: "GET",
      path: "/profiles/:name/diff",
      handle: async ({ query, params }) => {
        const { from, to } = parseInput(diffQuery, query, "query");
        return json(await service.diff(name(params), from, to));
      },
    },
    {
      method: "GET",
      path: "/profiles/:name/lock",
      handle: async ({ query, params }) => {
        const { revision } = parseInput(lockQuery, query, "query");
        return json(await service.lock(name(params), revision));
      },
    },
    {
      method: "POST",
      path: "/profiles/:name/revalidate",
      roles: writer,
      handle: async ({ params }) => json(await service.revalidate(name(params)), 202),
    },
    {
      method: "GET",
      path: "/profiles/:name/effective-request",
      handle: async ({ params }) => json({ request: await service.effectiveRequest(name(params)) }),
    },
    {
      method: "POST",
      path: "/resolve",
      handle: async ({ json: body }) => {
        const input = await body(resolveBody);
        for (const [i, text] of input.requests.entries()) {
          try {
            parseRequirement(text);
          } catch (error) {
            throw new ProfileDepsError(ProfileDepsErrorCode.invalidRequirement, (error as Error).message, {
              details: { issues: [{ path: ["requests", i], message: (error as Error).message }] },
              cause: error,
            });
          }
        }
        const resolveOptions: ResolveOptions = {
          ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
          ...(input.variantSelectMode ? { variantSelectMode: input.variantSelectMode } : {}),
          ...options.resolveOptions,
        };
        return json(await (options.resolver ?? resolve)(input.requests, repository, resolveOptions));
      },
    },
    {
      method: "POST",
      path: "/packages",
      roles: writer,
      handle: async ({ json: body }) =>
        json(
          await publishPackage(repository, await body(), options.clock ? { clock: options.clock } : {}),
          201,
        ),
    },
    {
      method: "GET",
      path: "/packages/:family",
      handle: async ({ params }) => {
        const family = await repository.getFamily(params.family!);
        if (!family) {
          throw new HttpError(HttpErrorCode.notFound, `Package family not found: ${params.family}`, {
            details: { family: params.family },
          });
        }
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

  return createHttpHandler({
    routes,
    errors: [profileDepsErrors],
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    ...(options.basePath ? { basePath: options.basePath } : {}),
    ...(options.maxBodyBytes ? { bodyLimit: options.maxBodyBytes } : {}),
    ...(options.requirePreconditions ? { requirePreconditions: true } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.cors ? { cors: options.cors } : {}),
  });
}
