import { randomBytes } from "node:crypto";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import {
  createDynamoConnectionStore,
  createDynamoHostTokenStore,
  createDynamoRateLimiter,
  createDynamoRoomStore,
  createWebSocketRoomEvents,
  djRoomTableDefinitions,
  type RoomConnectionStore,
} from "@portside/adapters-aws/dj-room";
import { createTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { createEventBridgePublisher } from "@portside/adapters-aws/eventbridge";
import {
  createDjRoom,
  createInProcessRoomEvents,
  createMemoryCatalog,
  createMemoryPlayer,
  createMemoryRateLimiter,
  createMemoryRoomStore,
  createSessionTokens,
  type DjRoom,
  type EventPublisher,
  type MusicProvider,
  type PlaybackController,
  type RateLimiter,
  type RoomStore,
} from "@portside/dj-room";
import {
  createAesGcmTokenCipher,
  createMemoryHostTokenStore,
  createSpotifyMusicProvider,
  createSpotifyPlaybackController,
  type HostTokenStore,
  type SpotifyPlayer,
} from "@portside/dj-room/spotify";
import { awsClientConfig, dynamoDbEndpoint, tablesPrefix } from "../config/common-config.js";
import { InvalidConfigError } from "../errors.js";
import { type DjRoomConfig, webSocketManagementEndpoint } from "./config.js";
import { demoTracksWithCovers } from "./demo-covers.js";

const ROOM_EVENT_SOURCE = "portside.dj-room";

function spotifyParts(
  config: DjRoomConfig,
  tokens: HostTokenStore,
): { provider: MusicProvider; player: SpotifyPlayer } | null {
  if (!config.SPOTIFY_CLIENT_ID) return null;
  const missing = (["SPOTIFY_CLIENT_SECRET", "SPOTIFY_REDIRECT_URI", "SPOTIFY_TOKEN_KEY"] as const).filter(
    (key) => !config[key],
  );
  if (missing.length > 0) {
    throw new InvalidConfigError([
      {
        key: missing.join(", "),
        message: `SPOTIFY_CLIENT_ID is set, so these are required too: ${missing.join(", ")}`,
      },
    ]);
  }
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

interface Storage {
  store: RoomStore;
  rateLimiter: RateLimiter;
  label: string;
  tokens: HostTokenStore;
  publishers: EventPublisher[];
  connections?: RoomConnectionStore;
  webSocketClient?: ApiGatewayManagementApiClient;
  eventsLabel: string[];
}

async function storage(config: DjRoomConfig): Promise<Storage> {
  const prefix = config.DYNAMODB_TABLES_USERID;
  if (prefix === undefined) {
    return {
      store: createMemoryRoomStore(),
      rateLimiter: createMemoryRateLimiter(),
      label: "memory",
      tokens: createMemoryHostTokenStore(),
      publishers: [],
      eventsLabel: [],
    };
  }
  const dynamoEndpoint = dynamoDbEndpoint(config);
  const dynamo = new DynamoDBClient(awsClientConfig(config, dynamoEndpoint));
  // Against a local engine, create the table on first use; deployed tables come from infrastructure code.
  if (dynamoEndpoint) await createTables(dynamo, djRoomTableDefinitions(prefix));
  const bus = createEventBridgePublisher({
    client: new EventBridgeClient(awsClientConfig(config)),
    eventBusName: config.EVENT_BUS_NAME,
    source: ROOM_EVENT_SOURCE,
  });
  const { rooms } = tableNames(prefix);
  const publishers: EventPublisher[] = [
    {
      publish: (event) =>
        bus.publish({ type: event.type, detail: event, time: new Date(event.at), resources: [] }),
    },
  ];
  const eventsLabel = [`eventbridge:${config.EVENT_BUS_NAME}`];
  const managementEndpoint = webSocketManagementEndpoint(config);
  let connections: RoomConnectionStore | undefined;
  let webSocketClient: ApiGatewayManagementApiClient | undefined;
  if (managementEndpoint) {
    connections = createDynamoConnectionStore({ client: dynamo, tableName: rooms });
    webSocketClient = new ApiGatewayManagementApiClient(awsClientConfig(config, managementEndpoint));
    publishers.unshift(
      createWebSocketRoomEvents({
        connections,
        client: webSocketClient,
        onError: (error) => logWarning(config, "post to connection", error),
      }),
    );
    eventsLabel.unshift(`websocket:${config.DJ_ROOM_WEBSOCKET_URL ?? managementEndpoint}`);
  }
  return {
    store: createDynamoRoomStore({ client: dynamo, tableName: rooms }),
    rateLimiter: createDynamoRateLimiter({ client: dynamo, tableName: rooms }),
    label: `dynamodb:${rooms}`,
    tokens: createDynamoHostTokenStore({ client: dynamo, tableName: rooms }),
    publishers,
    eventsLabel,
    ...(connections ? { connections } : {}),
    ...(webSocketClient ? { webSocketClient } : {}),
  };
}

export function logWarning(config: DjRoomConfig, context: string, error: unknown) {
  if (config.LOG_LEVEL !== "silent") console.warn(`[dj-room] ${context} failed:`, (error as Error).message);
}

/** Everything a dj-room host (Express, a Lambda function) shares, built from the config. */
export interface DjRoomCore {
  dj: DjRoom;
  secret: Uint8Array;
  spotify: { provider: MusicProvider; player: SpotifyPlayer } | null;
  /** Abuse-limit counters: shared through DynamoDB when the rooms are. */
  rateLimiter: RateLimiter;
  /** This process's own subscribers (SSE). */
  live: ReturnType<typeof createInProcessRoomEvents>;
  connections?: RoomConnectionStore;
  webSocketClient?: ApiGatewayManagementApiClient;
  adapters: Record<string, string>;
}

/**
 * The key of guest sessions and host cookies. A random one would differ per process, so wherever
 * several processes serve one room (shared tables, Lambda functions) it must be configured.
 */
function sessionSecret(config: DjRoomConfig): Uint8Array {
  if (config.DJ_ROOM_SESSION_SECRET) return new TextEncoder().encode(config.DJ_ROOM_SESSION_SECRET);
  if (config.DYNAMODB_TABLES_USERID !== undefined || config.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
    throw new InvalidConfigError([
      {
        key: "DJ_ROOM_SESSION_SECRET",
        message:
          "required with DYNAMODB_TABLES_USERID or on AWS Lambda: every instance and function must accept the same guest tokens",
      },
    ]);
  }
  return randomBytes(32);
}

export async function createDjRoomCore(config: DjRoomConfig): Promise<DjRoomCore> {
  tablesPrefix(config, "dj-room"); // Named before the session secret, which its absence also requires.
  const secret = sessionSecret(config);
  const parts = await storage(config);
  const spotify = spotifyParts(config, parts.tokens);
  const catalog = createMemoryCatalog(demoTracksWithCovers);
  const player: PlaybackController = spotify?.player ?? createMemoryPlayer({ catalog });
  const live = createInProcessRoomEvents();
  const publishers = [live, ...parts.publishers];
  const dj = createDjRoom({
    store: parts.store,
    provider: spotify?.provider ?? catalog,
    player,
    tokens: createSessionTokens({ secret }),
    idleTimeoutMs: config.DJ_ROOM_IDLE_MINUTES * 60_000,
    maxOpenRoomsPerHost: config.DJ_ROOM_MAX_OPEN_PER_HOST,
    events: {
      async publish(event) {
        await Promise.all(publishers.map((p) => p.publish(event)));
      },
    },
    onSideEffectError: (error, context) => logWarning(config, context, error),
  });
  return {
    dj,
    secret,
    spotify,
    live,
    rateLimiter: parts.rateLimiter,
    ...(parts.connections ? { connections: parts.connections } : {}),
    ...(parts.webSocketClient ? { webSocketClient: parts.webSocketClient } : {}),
    adapters: {
      store: parts.label,
      catalog: spotify ? "spotify" : "demo catalog",
      player: spotify ? "spotify" : "demo player",
      events: ["in-process (SSE)", ...parts.eventsLabel].join(" + "),
    },
  };
}
