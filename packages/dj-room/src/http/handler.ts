import {
  createHttpHandler,
  errorResponse,
  type FetchHandler,
  type HttpLogger,
  type Route,
  type RouteContext,
} from "@portside/http";
import { z } from "zod";
import { DjRoomError } from "../errors.js";
import type { RoomEventSource } from "../ports/event-publisher.js";
import type { RateLimiter } from "../ports/rate-limiter.js";
import { normalizeRoomCode } from "../room-code.js";
import type { DjRoom } from "../room-service.js";
import { guestNameSchema, roomNameSchema, voteSchema } from "../service/support.js";
import type { Session } from "../session-tokens.js";
import { roomSettingsPatchSchema } from "../settings.js";
import { trackIdSchema } from "../track.js";
import { type AbuseLimits, createAbuseGuard } from "./abuse-limits.js";
import { deviceCookie, readDeviceId } from "./device-cookie.js";
import { djRoomErrors } from "./errors.js";
import { roomEventStream } from "./sse.js";

/** Who the host is, as your application's authentication says. */
export interface HostIdentity {
  hostId: string;
}

/** How a browser follows the room live; the state response tells the page which one to use. */
export type LiveTransport =
  | { transport: "sse"; url: string }
  | { transport: "websocket"; url: string }
  | { transport: "none" };

/** Options of `createDjRoomHandler`: the room service, how hosts are authenticated, live updates and limits. */
export interface DjRoomHandlerOptions {
  dj: DjRoom;
  /** The host application's own authentication; null when the request carries no host. */
  authenticateHost(request: Request): Promise<HostIdentity | null> | HostIdentity | null;
  /** Live events for `GET /rooms/:code/events` (SSE); without it that route answers 501. */
  events?: RoomEventSource;
  /**
   * Where browsers follow the room when it is not this process's SSE: an API Gateway
   * WebSocket API's `wss://` URL (several instances, or Lambda).
   */
  webSocketUrl?: string;
  /** Public origin for share links (`https://dj.example.com`). Default: the request's origin. */
  publicUrl?: string;
  /** Path of the web page, for share links (`<publicUrl><pagePath>/<code>`). Default "/dj". */
  pagePath?: string;
  /** Path the routes hang under. Default "/rooms". */
  basePath?: string;
  heartbeatMs?: number;
  /** Largest JSON body accepted, in bytes (refused by Content-Length or while streaming). Default 16 KiB. */
  maxBodyBytes?: number;
  /**
   * Counters for the per-guest and per-address limits on joins, searches, adds, votes and skip
   * votes. Shared by every instance (DynamoDB) or one process (memory). Without it, no such limits.
   */
  rateLimiter?: RateLimiter;
  /** Overrides of the default limits. */
  abuseLimits?: Partial<AbuseLimits>;
  /**
   * The caller's address as your edge reports it (e.g. the last `X-Forwarded-For` hop your
   * load balancer appended). Null: address limits do not apply to the request.
   */
  clientAddress?: (request: Request) => string | null;
  /** Mark the browser cookie `Secure` (default true; false for plain-http local demos). */
  secureCookies?: boolean;
  logger?: HttpLogger;
}

const guestBody = z.object({ name: guestNameSchema }).strict();
const openBody = z
  .object({ name: roomNameSchema, hostName: guestNameSchema, settings: roomSettingsPatchSchema })
  .partial()
  .strict();
const trackBody = z.object({ trackId: trackIdSchema }).strict();
const voteBody = z.object({ value: voteSchema }).strict();
const skipBody = z.object({ playId: z.string().max(100).optional() }).strict();
const searchLimit = z.coerce.number().int().min(1).max(50).catch(20);
const noContent = () => new Response(null, { status: 204 });

/** The dj-room HTTP API as a Web-standard fetch handler, on `@portside/http`. */
export function createDjRoomHandler(options: DjRoomHandlerOptions): FetchHandler {
  const { dj } = options;
  const base = (options.basePath ?? "/rooms").replace(/\/$/, "");
  const guard = createAbuseGuard(options.rateLimiter, options.abuseLimits);
  const addressOf = (request: Request) => options.clientAddress?.(request) ?? null;

  const session = async ({ request, url }: RouteContext): Promise<Session> => {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    const token = bearer ?? (request.method === "GET" ? url.searchParams.get("token") : null);
    if (!token) throw new DjRoomError("UNAUTHORIZED", "A session token is required");
    return dj.authenticate(token.trim());
  };
  /** The session's room must be the one the path names. */
  const roomSession = async (ctx: RouteContext): Promise<Session> => {
    const current = await session(ctx);
    const room = await dj.roomOf(current);
    if (normalizeRoomCode(ctx.params.code ?? "") !== room.code) {
      throw new DjRoomError("FORBIDDEN", "This session belongs to another room");
    }
    return current;
  };
  const host = async ({ request }: RouteContext) => {
    const found = await options.authenticateHost(request);
    if (!found) throw new DjRoomError("UNAUTHORIZED", "Sign in as a host first");
    return found;
  };
  /** A guest action under its limits: per guest, and per client address. */
  const limited = async (ctx: RouteContext, action: Parameters<typeof guard>[0]) => {
    const current = await roomSession(ctx);
    if (current.role !== "host")
      await guard(action, { guestId: current.guestId, address: addressOf(ctx.request) });
    return current;
  };
  const live = (code: string): LiveTransport => {
    if (options.webSocketUrl) return { transport: "websocket", url: options.webSocketUrl };
    if (options.events) return { transport: "sse", url: `${base}/${code}/events` };
    return { transport: "none" };
  };
  const share = (code: string, url: URL) => {
    const origin = (options.publicUrl ?? url.origin).replace(/\/$/, "");
    const page = `${origin}${(options.pagePath ?? "/dj").replace(/\/$/, "")}/${code}`;
    return { code, url: page, tvUrl: `${page}/tv` };
  };

  const routes: Route[] = [
    {
      method: "POST",
      path: "",
      handle: async (ctx) => {
        const { hostId } = await host(ctx);
        return Response.json(await dj.openRoom(hostId, await ctx.optionalJson(openBody, {})), {
          status: 201,
        });
      },
    },
    {
      method: "GET",
      path: "/mine",
      handle: async (ctx) => Response.json({ rooms: await dj.listHostRooms((await host(ctx)).hostId) }),
    },
    {
      method: "POST",
      path: "/by-id/:roomId/host-session",
      handle: async (ctx) =>
        Response.json(await dj.hostSession((await host(ctx)).hostId, ctx.params.roomId!)),
    },
    {
      method: "POST",
      path: "/by-id/:roomId/reopen",
      handle: async (ctx) => Response.json(await dj.reopenRoom((await host(ctx)).hostId, ctx.params.roomId!)),
    },
    {
      method: "GET",
      path: "/:code",
      handle: async ({ params }) => {
        const room = await dj.findRoom(params.code!);
        return Response.json({
          code: room.code,
          name: room.name,
          status: room.status,
          joinsOpen: room.settings.joinsOpen,
        });
      },
    },
    {
      method: "POST",
      path: "/:code/guests",
      handle: async (ctx) => {
        const { name } = await ctx.json(guestBody);
        const known = readDeviceId(ctx.request);
        const deviceId = known ?? crypto.randomUUID();
        await guard("joins", { address: addressOf(ctx.request), device: deviceId });
        const grant = await dj.joinRoom(ctx.params.code!, { name }, { deviceId });
        const headers = known
          ? undefined
          : { "set-cookie": deviceCookie(deviceId, options.secureCookies ?? true) };
        return Response.json(grant, { status: 201, headers });
      },
    },
    {
      method: "POST",
      path: "/:code/viewers",
      handle: async (ctx) => {
        await guard("joins", { address: addressOf(ctx.request) });
        return Response.json(await dj.openViewerSession(ctx.params.code!), { status: 201 });
      },
    },
    {
      method: "GET",
      path: "/:code/state",
      handle: async (ctx) => {
        const state = await dj.getState(await roomSession(ctx));
        return Response.json({
          ...state,
          live: live(state.room.code),
          share: share(state.room.code, ctx.url),
        });
      },
    },
    {
      method: "GET",
      path: "/:code/search",
      handle: async (ctx) => {
        const current = await limited(ctx, "searches");
        const limit = searchLimit.parse(ctx.query.limit ?? 20);
        return Response.json({ tracks: await dj.search(current, ctx.query.q ?? "", limit) });
      },
    },
    {
      method: "POST",
      path: "/:code/queue",
      handle: async (ctx) => {
        const { trackId } = await ctx.json(trackBody);
        const result = await dj.addTrack(await limited(ctx, "adds"), trackId);
        return Response.json(result, { status: result.outcome === "added" ? 201 : 200 });
      },
    },
    {
      method: "PUT",
      path: "/:code/queue/:entryId/vote",
      handle: async (ctx) => {
        const { value } = await ctx.json(voteBody);
        return Response.json(await dj.vote(await limited(ctx, "votes"), ctx.params.entryId!, value));
      },
    },
    {
      method: "DELETE",
      path: "/:code/queue/:entryId/vote",
      handle: async (ctx) =>
        Response.json(await dj.vote(await limited(ctx, "votes"), ctx.params.entryId!, 0)),
    },
    {
      method: "DELETE",
      path: "/:code/queue/:entryId",
      handle: async (ctx) => {
        await dj.removeEntry(await roomSession(ctx), ctx.params.entryId!);
        return noContent();
      },
    },
    {
      method: "POST",
      path: "/:code/queue/:entryId/play-next",
      handle: async (ctx) => {
        await dj.playNext(await roomSession(ctx), ctx.params.entryId!);
        return noContent();
      },
    },
    {
      method: "POST",
      path: "/:code/playback/start",
      handle: async (ctx) => Response.json({ playback: await dj.start(await roomSession(ctx)) }),
    },
    {
      method: "POST",
      path: "/:code/playback/skip",
      handle: async (ctx) => {
        const { playId } = await ctx.optionalJson(skipBody, {});
        return Response.json({ playback: await dj.skip(await roomSession(ctx), playId) });
      },
    },
    {
      method: "POST",
      path: "/:code/playback/vote-skip",
      handle: async (ctx) => Response.json(await dj.voteToSkip(await limited(ctx, "skipVotes"))),
    },
    {
      method: "POST",
      path: "/:code/playback/sync",
      handle: async (ctx) => {
        const current = await roomSession(ctx);
        return Response.json({ playback: await dj.syncPlayback(current.roomId) });
      },
    },
    {
      method: "POST",
      path: "/:code/guests/:guestId/ban",
      handle: async (ctx) => {
        await dj.banGuest(await roomSession(ctx), ctx.params.guestId!);
        return noContent();
      },
    },
    {
      method: "PATCH",
      path: "/:code/settings",
      handle: async (ctx) => {
        const current = await roomSession(ctx);
        return Response.json({
          room: await dj.updateSettings(current, await ctx.json(roomSettingsPatchSchema)),
        });
      },
    },
    {
      method: "POST",
      path: "/:code/close",
      handle: async (ctx) => Response.json({ room: await dj.closeRoom(await roomSession(ctx)) }),
    },
    {
      method: "GET",
      path: "/:code/events",
      handle: async (ctx) => {
        if (!options.events) {
          return errorResponse(
            501,
            "NOT_IMPLEMENTED",
            "This host does not stream events: follow `live` in the state",
          );
        }
        const current = await roomSession(ctx);
        const version = await dj.roomVersion(current.roomId);
        return roomEventStream(
          options.events,
          current.roomId,
          ctx.request.signal,
          options.heartbeatMs ?? 15_000,
          current.guestId,
          version,
        );
      },
    },
  ];

  return createHttpHandler({
    routes: routes.map((route) => ({ ...route, path: `${base}${route.path}` })),
    errors: [djRoomErrors],
    bodyLimit: options.maxBodyBytes ?? 16 * 1024,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
