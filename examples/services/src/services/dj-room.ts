import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import {
  createDynamoHostTokenStore,
  createDynamoRoomStore,
  djRoomTableDefinitions,
} from "@portside/adapters-aws/dj-room";
import { createTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { createEventBridgePublisher } from "@portside/adapters-aws/eventbridge";
import {
  createDjRoom,
  createInProcessRoomEvents,
  createMemoryCatalog,
  createMemoryPlayer,
  createMemoryRoomStore,
  createSessionTokens,
  type EventPublisher,
  type MusicProvider,
  type PlaybackController,
  type RoomStore,
} from "@portside/dj-room";
import { createDjRoomHandler } from "@portside/dj-room/http";
import {
  createAesGcmTokenCipher,
  createMemoryHostTokenStore,
  createOAuthStateBinder,
  createSpotifyMusicProvider,
  createSpotifyPlaybackController,
  type HostTokenStore,
  type SpotifyPlayer,
} from "@portside/dj-room/spotify";
import { z } from "zod";
import type { CommonConfig } from "../common-config.js";
import { demoTracksWithCovers } from "../dj-room/demo-covers.js";
import { createDemoHostAuth } from "../dj-room/host-auth.js";
import { createPageRoutes } from "../dj-room/page-routes.js";
import { createSpotifyRoutes } from "../dj-room/spotify-routes.js";
import type { ComposedService } from "../service.js";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();
const positiveInt = (fallback: number) =>
  optionalText.transform((v) => (v === undefined ? fallback : Number(v))).pipe(z.number().int().positive());

export const djRoomConfigSchema = z.object({
  /** HMAC key (≥ 32 characters) for guest sessions and the demo host cookie. Default: random per process. */
  DJ_ROOM_SESSION_SECRET: optionalText.pipe(z.string().min(32, "at least 32 characters").optional()),
  DJ_ROOM_IDLE_MINUTES: positiveInt(240),
  DJ_ROOM_MAX_OPEN_PER_HOST: positiveInt(1),
  /** How often a long-running host asks the player whether the playing track ended. */
  DJ_ROOM_SYNC_SECONDS: positiveInt(5),
  SPOTIFY_CLIENT_ID: optionalText,
  SPOTIFY_CLIENT_SECRET: optionalText,
  SPOTIFY_REDIRECT_URI: optionalText.pipe(z.url().optional()),
  /** base64 of 32 random bytes: encrypts hosts' Spotify tokens at rest (AES-256-GCM). */
  SPOTIFY_TOKEN_KEY: optionalText.pipe(
    z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "base64 of exactly 32 bytes")
      .optional(),
  ),
  SPOTIFY_ACCOUNTS_URL: optionalText.pipe(z.url().optional()),
  SPOTIFY_API_URL: optionalText.pipe(z.url().optional()),
});

export type DjRoomConfig = CommonConfig & z.infer<typeof djRoomConfigSchema>;

const ROOM_EVENT_SOURCE = "portside.dj-room";

function awsClientConfig(config: DjRoomConfig) {
  return {
    ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    ...(config.AWS_ENDPOINT_URL ? { endpoint: config.AWS_ENDPOINT_URL } : {}),
  };
}

function spotifyParts(
  config: DjRoomConfig,
  tokens: HostTokenStore,
): { provider: MusicProvider; player: SpotifyPlayer } | null {
  if (!config.SPOTIFY_CLIENT_ID) return null;
  const missing = (["SPOTIFY_CLIENT_SECRET", "SPOTIFY_REDIRECT_URI", "SPOTIFY_TOKEN_KEY"] as const).filter(
    (key) => !config[key],
  );
  if (missing.length > 0)
    throw new Error(`SPOTIFY_CLIENT_ID is set, so these are required too: ${missing.join(", ")}`);
  const common = {
    clientId: config.SPOTIFY_CLIENT_ID,
    clientSecret: config.SPOTIFY_CLIENT_SECRET!,
    accountsBaseUrl: config.SPOTIFY_ACCOUNTS_URL,
    apiBaseUrl: config.SPOTIFY_API_URL,
  };
  return {
    provider: createSpotifyMusicProvider(common),
    player: createSpotifyPlaybackController({
      ...common,
      redirectUri: config.SPOTIFY_REDIRECT_URI!,
      tokens,
      cipher: createAesGcmTokenCipher(Buffer.from(config.SPOTIFY_TOKEN_KEY!, "base64"), {
        aad: "dj-room-spotify",
      }),
    }),
  };
}

async function roomStore(
  config: DjRoomConfig,
): Promise<{ store: RoomStore; label: string; tokens: HostTokenStore; publisher?: EventPublisher }> {
  const prefix = config.DYNAMODB_TABLES_USERID;
  if (prefix === undefined) {
    return { store: createMemoryRoomStore(), label: "memory", tokens: createMemoryHostTokenStore() };
  }
  const clientConfig = awsClientConfig(config);
  const dynamo = new DynamoDBClient(clientConfig);
  // Against a local emulator, create the table on first use; deployed tables come from infrastructure code.
  if (config.AWS_ENDPOINT_URL) await createTables(dynamo, djRoomTableDefinitions(prefix));
  const bus = createEventBridgePublisher({
    client: new EventBridgeClient(clientConfig),
    eventBusName: config.EVENT_BUS_NAME,
    source: ROOM_EVENT_SOURCE,
  });
  const { rooms } = tableNames(prefix);
  return {
    store: createDynamoRoomStore({ client: dynamo, tableName: rooms }),
    label: `dynamodb:${rooms}`,
    tokens: createDynamoHostTokenStore({ client: dynamo, tableName: rooms }),
    publisher: {
      publish: (event) =>
        bus.publish({ type: event.type, detail: event, time: new Date(event.at), resources: [] }),
    },
  };
}

export interface DjRoomServiceOptions {
  /** Serve `GET /rooms/:code/events` as Server-Sent Events. Off for Lambda, which cannot stream here. */
  streamEvents?: boolean;
}

export async function createDjRoomService(
  config: DjRoomConfig,
  options: DjRoomServiceOptions = {},
): Promise<ComposedService> {
  const streamEvents = options.streamEvents ?? true;
  const secret = config.DJ_ROOM_SESSION_SECRET
    ? new TextEncoder().encode(config.DJ_ROOM_SESSION_SECRET)
    : randomBytes(32);
  const { store, label, tokens, publisher } = await roomStore(config);
  const spotify = spotifyParts(config, tokens);
  const catalog = createMemoryCatalog(demoTracksWithCovers);
  const provider = spotify?.provider ?? catalog;
  const player: PlaybackController = spotify?.player ?? createMemoryPlayer({ catalog });
  const live = createInProcessRoomEvents();
  const playing = new Set<string>();
  const dj = createDjRoom({
    store,
    provider,
    player,
    tokens: createSessionTokens({ secret }),
    idleTimeoutMs: config.DJ_ROOM_IDLE_MINUTES * 60_000,
    maxOpenRoomsPerHost: config.DJ_ROOM_MAX_OPEN_PER_HOST,
    events: {
      async publish(event) {
        if (event.type === "now-playing.changed") {
          if (event.data.playback?.phase === "playing") playing.add(event.roomId);
          else playing.delete(event.roomId);
        }
        if (event.type === "room.closed") playing.delete(event.roomId);
        await live.publish(event);
        await publisher?.publish(event);
      },
    },
    onSideEffectError: (error, context) => {
      if (config.LOG_LEVEL !== "silent")
        console.warn(`[dj-room] ${context} failed:`, (error as Error).message);
    },
  });
  const hostAuth = createDemoHostAuth(secret);
  const api = createDjRoomHandler({
    dj,
    authenticateHost: (request) => hostAuth.authenticate(request),
    ...(streamEvents ? { events: live } : {}),
  });
  const spotifyRoutes = createSpotifyRoutes({
    player: spotify?.player ?? null,
    states: createOAuthStateBinder({ secret }),
    authenticateHost: (request) => hostAuth.authenticate(request),
  });
  const pageRoutes = await createPageRoutes();
  let timer: NodeJS.Timeout | undefined;

  return {
    name: "dj-room",
    adapters: {
      store: label,
      catalog: spotify ? "spotify" : "demo catalog",
      player: spotify ? "spotify" : "demo player",
      events: publisher ? `in-process (SSE) + eventbridge:${config.EVENT_BUS_NAME}` : "in-process (SSE)",
    },
    async handler(request) {
      const { pathname } = new URL(request.url);
      const pageResponse = await pageRoutes(request);
      if (pageResponse) return pageResponse;
      if (pathname === "/dj/host-login" && request.method === "POST") return hostAuth.login(request);
      if (pathname === "/dj/me" && request.method === "GET") {
        const host = await hostAuth.authenticate(request);
        return Response.json({ host, spotify: spotify ? "configured" : "demo" });
      }
      if (pathname.startsWith("/spotify")) return spotifyRoutes(request);
      return api(request);
    },
    async start() {
      // The player, not the browser, says when a track ended: check the playing rooms now and then.
      timer = setInterval(() => {
        for (const roomId of playing) dj.syncPlayback(roomId).catch(() => playing.delete(roomId));
      }, config.DJ_ROOM_SYNC_SECONDS * 1000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
    },
  };
}
