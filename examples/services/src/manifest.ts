export interface ServiceDefinition {
  name: string;
  /** Port the service listens on when served alone (`npm start -- <name>`). */
  port: number;
  /** The domain package it serves. */
  domain: `@portside/${string}`;
  /** Path prefixes its handler answers, so one process can serve every service. */
  routes: readonly string[];
  /** Adapters by port: embedded defaults and the AWS deployment. */
  adapters: { embedded: readonly string[]; aws: readonly string[] };
}

export const serviceManifest = [
  {
    name: "registry",
    port: 8081,
    domain: "@portside/registry-core",
    routes: ["/entityType", "/entity"],
    adapters: {
      embedded: ["memory registry store", "in-process events"],
      aws: ["DynamoDB <prefix>-registry", "EventBridge"],
    },
  },
  {
    name: "event-recorder",
    port: 8082,
    domain: "@portside/event-recorder",
    routes: ["/events", "/quarantine"],
    adapters: {
      embedded: ["in-process queue", "embedded PostgreSQL (PGlite)", "raw key"],
      aws: ["SQS", "PostgreSQL", "KMS or S3 key"],
    },
  },
  {
    name: "profile-deps",
    port: 8083,
    domain: "@portside/profile-deps",
    routes: ["/profiles", "/resolve", "/packages"],
    adapters: {
      embedded: ["memory profile store", "memory package repository", "in-process bus"],
      aws: ["DynamoDB <prefix>-profiles", "DynamoDB <prefix>-packages", "EventBridge", "SQS"],
    },
  },
  {
    name: "dj-room",
    port: 8084,
    domain: "@portside/dj-room",
    routes: ["/rooms", "/dj", "/spotify"],
    adapters: {
      embedded: ["memory room store", "demo catalog", "demo player", "in-process events"],
      aws: ["DynamoDB <prefix>-rooms", "Spotify Web API", "EventBridge"],
    },
  },
] as const satisfies readonly ServiceDefinition[];

export type ServiceName = (typeof serviceManifest)[number]["name"];

export const serviceNames: readonly ServiceName[] = serviceManifest.map((s) => s.name);

export function isServiceName(name: string): name is ServiceName {
  return (serviceNames as readonly string[]).includes(name);
}

export function serviceDefinition(name: ServiceName): ServiceDefinition {
  return serviceManifest.find((s) => s.name === name)!;
}
