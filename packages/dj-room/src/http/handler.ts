import { z } from "zod";
import { DjRoomError } from "../errors.js";
import type { RoomEventSource } from "../ports/event-publisher.js";
import { normalizeRoomCode } from "../room-code.js";
import type { DjRoom } from "../room-service.js";
import type { Session } from "../session-tokens.js";
import { errorResponse, toErrorResponse } from "./errors.js";
import { roomEventStream } from "./sse.js";

export interface HostIdentity {
  hostId: string;
}

/** How a browser follows the room live; the state response tells the page which one to use. */
export type LiveTransport =
  | { transport: "sse"; url: string }
  | { transport: "websocket"; url: string }
  | { transport: "none" };

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
  /** Largest JSON body accepted, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
}

type Handler = (ctx: Context) => Promise<Response>;

interface Context {
  request: Request;
  url: URL;
  params: Record<string, string>;
  body(): Promise<Record<string, unknown>>;
  session(): Promise<Session>;
  host(): Promise<HostIdentity>;
}

const segment = "([^/]+)";
const noContent = () => new Response(null, { status: 204 });

/** The dj-room HTTP API as a Web-standard fetch handler. */
export function createDjRoomHandler(options: DjRoomHandlerOptions): (request: Request) => Promise<Response> {
  const { dj } = options;
  const base = (options.basePath ?? "/rooms").replace(/\/$/, "");
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const routes: { method: string; pattern: RegExp; names: string[]; handle: Handler }[] = [];
  const route = (method: string, path: string, handle: Handler) => {
    const names: string[] = [];
    const source = path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
      names.push(name);
      return segment;
    });
    routes.push({ method, pattern: new RegExp(`^${base}${source}$`), names, handle });
  };

  /** The session's room must be the one the path names. */
  const roomSession = async (ctx: Context) => {
    const session = await ctx.session();
    const room = await dj.roomOf(session);
    if (normalizeRoomCode(ctx.params.code ?? "") !== room.code) {
      throw new DjRoomError("forbidden", "This session belongs to another room");
    }
    return session;
  };

  route("POST", "", async (ctx) => {
    const { hostId } = await ctx.host();
    return Response.json(await dj.openRoom(hostId, await ctx.body()), { status: 201 });
  });
  route("GET", "/mine", async (ctx) =>
    Response.json({ rooms: await dj.listHostRooms((await ctx.host()).hostId) }),
  );
  route("POST", "/by-id/:roomId/host-session", async (ctx) =>
    Response.json(await dj.hostSession((await ctx.host()).hostId, ctx.params.roomId!)),
  );
  route("POST", "/by-id/:roomId/reopen", async (ctx) =>
    Response.json(await dj.reopenRoom((await ctx.host()).hostId, ctx.params.roomId!)),
  );
  route("GET", "/:code", async (ctx) => {
    const room = await dj.findRoom(ctx.params.code!);
    return Response.json({ code: room.code, name: room.name, status: room.status });
  });
  route("POST", "/:code/guests", async (ctx) =>
    Response.json(await dj.joinRoom(ctx.params.code!, await ctx.body()), { status: 201 }),
  );
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
  route("GET", "/:code/state", async (ctx) => {
    const state = await dj.getState(await roomSession(ctx));
    return Response.json({ ...state, live: live(state.room.code), share: share(state.room.code, ctx.url) });
  });
  route("GET", "/:code/search", async (ctx) => {
    const limit = z.coerce
      .number()
      .int()
      .min(1)
      .max(50)
      .catch(20)
      .parse(ctx.url.searchParams.get("limit") ?? 20);
    const tracks = await dj.search(await roomSession(ctx), ctx.url.searchParams.get("q") ?? "", limit);
    return Response.json({ tracks });
  });
  route("POST", "/:code/queue", async (ctx) => {
    const session = await roomSession(ctx);
    const result = await dj.addTrack(session, (await ctx.body()).trackId);
    return Response.json(result, { status: result.outcome === "added" ? 201 : 200 });
  });
  route("PUT", "/:code/queue/:entryId/vote", async (ctx) => {
    const session = await roomSession(ctx);
    return Response.json(await dj.vote(session, ctx.params.entryId!, (await ctx.body()).value));
  });
  route("DELETE", "/:code/queue/:entryId/vote", async (ctx) =>
    Response.json(await dj.vote(await roomSession(ctx), ctx.params.entryId!, 0)),
  );
  route("DELETE", "/:code/queue/:entryId", async (ctx) => {
    await dj.removeEntry(await roomSession(ctx), ctx.params.entryId!);
    return noContent();
  });
  route("POST", "/:code/queue/:entryId/play-next", async (ctx) => {
    await dj.playNext(await roomSession(ctx), ctx.params.entryId!);
    return noContent();
  });
  route("POST", "/:code/playback/start", async (ctx) =>
    Response.json({ playback: await dj.start(await roomSession(ctx)) }),
  );
  route("POST", "/:code/playback/skip", async (ctx) => {
    const session = await roomSession(ctx);
    const playId = z
      .string()
      .max(100)
      .optional()
      .catch(undefined)
      .parse((await ctx.body()).playId);
    return Response.json({ playback: await dj.skip(session, playId) });
  });
  route("POST", "/:code/playback/vote-skip", async (ctx) =>
    Response.json(await dj.voteToSkip(await roomSession(ctx))),
  );
  route("POST", "/:code/playback/sync", async (ctx) => {
    const session = await roomSession(ctx);
    return Response.json({ playback: await dj.syncPlayback(session.roomId) });
  });
  route("POST", "/:code/guests/:guestId/ban", async (ctx) => {
    await dj.banGuest(await roomSession(ctx), ctx.params.guestId!);
    return noContent();
  });
  route("PATCH", "/:code/settings", async (ctx) => {
    const session = await roomSession(ctx);
    return Response.json({ room: await dj.updateSettings(session, await ctx.body()) });
  });
  route("POST", "/:code/close", async (ctx) =>
    Response.json({ room: await dj.closeRoom(await roomSession(ctx)) }),
  );
  route("GET", "/:code/events", async (ctx) => {
    if (!options.events) return errorResponse(501, "not_implemented", "This host does not stream events");
    const session = await roomSession(ctx);
    const version = await dj.roomVersion(session.roomId);
    return roomEventStream(
      options.events,
      session.roomId,
      ctx.request.signal,
      options.heartbeatMs ?? 15_000,
      session.guestId,
      version,
    );
  });

  const readBody = async (request: Request): Promise<Record<string, unknown>> => {
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > maxBody)
      throw new HttpError(413, "payload_too_large", `Bodies are limited to ${maxBody} bytes`);
    const text = await request.text();
    if (new TextEncoder().encode(text).length > maxBody) {
      throw new HttpError(413, "payload_too_large", `Bodies are limited to ${maxBody} bytes`);
    }
    if (text.trim() === "") return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DjRoomError("validation", "The body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new DjRoomError("validation", "The body must be a JSON object");
    }
    return parsed as Record<string, unknown>;
  };

  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/$/, "") || "/";
    const matching = routes.filter((r) => r.pattern.test(path));
    const match = matching.find((r) => r.method === request.method);
    if (!match) {
      if (matching.length > 0) {
        return errorResponse(405, "method_not_allowed", `${request.method} is not allowed here`, null, {
          allow: matching.map((r) => r.method).join(", "),
        });
      }
      return errorResponse(404, "not_found", `No route for ${url.pathname}`);
    }
    const values = match.pattern.exec(path)!.slice(1);
    const params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i]!)]));
    let cachedSession: Promise<Session> | undefined;
    const ctx: Context = {
      request,
      url,
      params,
      body: () => readBody(request),
      session: () => {
        cachedSession ??= (async () => {
          const header = request.headers.get("authorization") ?? "";
          const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
          const token = bearer ?? (request.method === "GET" ? url.searchParams.get("token") : null);
          if (!token) throw new DjRoomError("unauthorized", "A session token is required");
          return dj.authenticate(token.trim());
        })();
        return cachedSession;
      },
      host: async () => {
        const host = await options.authenticateHost(request);
        if (!host) throw new DjRoomError("unauthorized", "Sign in as a host first");
        return host;
      },
    };
    try {
      return await match.handle(ctx);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message);
      return toErrorResponse(error);
    }
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
