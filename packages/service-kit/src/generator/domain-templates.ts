import type { Domain } from "../manifest/domains.js";

/** What a domain adds to a generated service: its imports, its factory and a request its smoke test makes. */
export interface DomainTemplate {
  readonly imports: readonly string[];
  /** The body of a function returning the mounted domain (`name`, `routes`, `handler`, `adapters`, `close?`). */
  readonly factory: string;
  readonly smoke: {
    readonly method: string;
    readonly path: string;
    readonly body?: string;
    readonly status: number;
  };
}

/** The marker on every generated line a person must fill in; `portside new` lists where they are. */
export const fillInMarker = "portside: fill in";

/** Each domain on its embedded defaults (memory adapters), served by its package's `./http` handler factory. */
export const domainTemplates: Record<Domain, DomainTemplate> = {
  registry: {
    imports: [
      'import { createMemoryRegistryStore, createRegistryService } from "@portside/registry-core";',
      'import { createRegistryHandler } from "@portside/registry-core/http";',
    ],
    factory: `  const service = createRegistryService({ store: createMemoryRegistryStore() });
  return {
    name: "registry",
    routes: domainRoutes.registry,
    adapters: { store: "memory" },
    handler: createRegistryHandler({
      service,
      // ${fillInMarker}: authenticate callers (jwtAuthenticator from @portside/registry-core/http); until then every caller is an anonymous admin.
      authenticate: () => null,
      anonymous: { organisation: "public", roles: ["admin"] },
    }),
  };`,
    smoke: { method: "GET", path: "/entityType/", status: 200 },
  },
  "event-recorder": {
    imports: [
      'import { randomBytes } from "node:crypto";',
      'import { createKeyring, createMemoryEventSink, createMemoryQuarantineStore, createMemoryQueue, createRecorder } from "@portside/event-recorder";',
      'import { createEventRecorderHandler } from "@portside/event-recorder/http";',
    ],
    factory: `  const sink = createMemoryEventSink();
  const quarantine = createMemoryQuarantineStore();
  // ${fillInMarker}: the keys producers encrypt events with (here a random key per process).
  const key = randomBytes(32);
  const recorder = createRecorder({ keyring: createKeyring({ keys: { local: async () => key } }), sink, quarantine });
  const queue = createMemoryQueue();
  queue.start((messages) => recorder.recordBatch(messages));
  return {
    name: "event-recorder",
    routes: domainRoutes["event-recorder"],
    adapters: { queue: "in-process", sink: "memory", quarantine: "memory" },
    // ${fillInMarker}: authenticate callers (\`authenticate\` option); until then the handler is open.
    handler: createEventRecorderHandler({ submit: (body) => queue.send(body), reader: sink, quarantine, recorder }),
    close: () => queue.stop(),
  };`,
    smoke: { method: "POST", path: "/events", body: "smoke", status: 202 },
  },
  "profile-deps": {
    imports: [
      'import { createInProcessProfileDeps } from "@portside/profile-deps";',
      'import { createProfileDepsHandler } from "@portside/profile-deps/http";',
    ],
    factory: `  const deps = createInProcessProfileDeps();
  return {
    name: "profile-deps",
    routes: domainRoutes["profile-deps"],
    adapters: { store: "memory", repository: "memory", bus: "in-process" },
    // ${fillInMarker}: authenticate callers (\`authenticate\` option); until then every caller may write.
    handler: createProfileDepsHandler({ service: deps.service, repository: deps.repository }),
    close: () => deps.close(),
  };`,
    smoke: { method: "GET", path: "/profiles", status: 200 },
  },
  "dj-room": {
    imports: [
      'import { randomBytes } from "node:crypto";',
      'import { createDjRoom, createInProcessRoomEvents, createMemoryCatalog, createMemoryPlayer, createMemoryRateLimiter, createMemoryRoomStore, createSessionTokens } from "@portside/dj-room";',
      'import { createDjRoomHandler } from "@portside/dj-room/http";',
    ],
    factory: `  const catalog = createMemoryCatalog();
  const events = createInProcessRoomEvents();
  const dj = createDjRoom({
    store: createMemoryRoomStore(),
    provider: catalog,
    player: createMemoryPlayer({ catalog }),
    tokens: createSessionTokens({ secret: randomBytes(32) }),
    events,
  });
  return {
    name: "dj-room",
    routes: domainRoutes["dj-room"],
    adapters: { store: "memory", catalog: "demo", player: "demo", events: "in-process (SSE)" },
    handler: createDjRoomHandler({
      dj,
      events,
      rateLimiter: createMemoryRateLimiter(),
      // ${fillInMarker}: your application's sign-in; until then the x-host-id header names the host.
      authenticateHost: (request) => {
        const hostId = request.headers.get("x-host-id");
        return hostId ? { hostId } : null;
      },
    }),
  };`,
    smoke: { method: "GET", path: "/rooms/ZZZZZZ", status: 404 },
  },
};
