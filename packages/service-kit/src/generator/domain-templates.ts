import type { Domain } from "../manifest/domains.js";

/** What a domain adds to a generated service: its module, the packages its composition imports, and a request its smoke test makes. */
export interface DomainTemplate {
  readonly import: string;
  /** The lines of its entry in the service's `domains` map. */
  readonly entry: readonly string[];
  /** npm packages its composition imports (the kit's optional peers for its subpath). */
  readonly packages: readonly string[];
  readonly smoke: {
    readonly method: string;
    readonly path: string;
    readonly body?: string;
    readonly status: number;
  };
}

/** The marker on every generated line a person must fill in; `portside new` lists where they are. */
export const fillInMarker = "portside: fill in";

const aws = [
  "@portside/adapters-aws",
  "@aws-sdk/client-dynamodb",
  "@aws-sdk/lib-dynamodb",
  "@aws-sdk/client-eventbridge",
];

/** Each domain as the kit composes it: embedded defaults until the environment names its AWS adapters. */
export const domainTemplates: Record<Domain, DomainTemplate> = {
  registry: {
    import: 'import { registryDomain } from "@portside/service-kit/registry";',
    entry: ["  registry: registryDomain,"],
    packages: ["@portside/registry-core", ...aws],
    smoke: { method: "GET", path: "/entityType/", status: 200 },
  },
  "event-recorder": {
    import: 'import { eventRecorderDomain } from "@portside/service-kit/event-recorder";',
    entry: ['  "event-recorder": eventRecorderDomain,'],
    packages: [
      "@portside/event-recorder",
      "@portside/adapters-aws",
      "@aws-sdk/client-kms",
      "@aws-sdk/client-s3",
      "@aws-sdk/client-sqs",
      "@aws-sdk/rds-signer",
      "pg",
      "@electric-sql/pglite",
      "@electric-sql/pglite-socket",
    ],
    smoke: { method: "POST", path: "/events", body: "smoke", status: 202 },
  },
  "profile-deps": {
    import: 'import { profileDepsDomain } from "@portside/service-kit/profile-deps";',
    entry: ['  "profile-deps": profileDepsDomain,'],
    packages: ["@portside/profile-deps", ...aws, "@aws-sdk/client-sqs"],
    smoke: { method: "GET", path: "/profiles", status: 200 },
  },
  "dj-room": {
    import: 'import { createDjRoomDomain } from "@portside/service-kit/dj-room";',
    entry: [
      `  // ${fillInMarker}: your application's host sign-in (\`authenticateHost\`); until then hosts sign in with POST /dj/host-login (a display name).`,
      '  "dj-room": createDjRoomDomain(),',
    ],
    packages: ["@portside/dj-room", ...aws, "@aws-sdk/client-apigatewaymanagementapi"],
    smoke: { method: "GET", path: "/rooms/ZZZZZZ", status: 404 },
  },
};
