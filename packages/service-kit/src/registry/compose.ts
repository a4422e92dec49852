import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { tableNames } from "@portside/adapters-aws/dynamodb";
import { createEventBridgePublisher } from "@portside/adapters-aws/eventbridge";
import { createDynamoRegistryStore, createRegistryTable } from "@portside/adapters-aws/registry";
import {
  type AnonymousPolicy,
  createMemoryRegistryStore,
  createRegistryService as createRegistryDomain,
  type EventPublisher,
  type RegistryEvent,
  type RegistryStore,
} from "@portside/registry-core";
import { createRegistryHandler, jwtAuthenticator } from "@portside/registry-core/http";
import { pinnedJwks } from "../auth/jwt-verifier.js";
import { awsClientConfig, dynamoDbEndpoint, tablesPrefix } from "../config/common-config.js";
import { domainRoutes } from "../manifest/domains.js";
import type { ComposedDomain } from "../runtime/domain-module.js";
import type { RegistryConfig } from "./config.js";

/** Keeps the latest events in process (embedded mode has no bus); a search indexer would subscribe here. */
function inProcessEvents(limit = 1000): EventPublisher & { recent: RegistryEvent[] } {
  const recent: RegistryEvent[] = [];
  return {
    recent,
    async publish(events) {
      recent.push(...events);
      if (recent.length > limit) recent.splice(0, recent.length - limit);
    },
  };
}

function anonymousPolicy(config: RegistryConfig, jwt: boolean): AnonymousPolicy | undefined {
  const mode = config.REGISTRY_ANONYMOUS ?? (!jwt && !config.DYNAMODB_TABLES_USERID ? "admin" : "read");
  if (mode === "none") return undefined;
  const roles = { read: ["read"], write: ["read", "write"], admin: ["admin"] } as const;
  return { organisation: config.REGISTRY_DEFAULT_ORGANISATION, roles: [...roles[mode]] };
}

/**
 * The registry on its embedded defaults, or on DynamoDB and EventBridge when
 * `DYNAMODB_TABLES_USERID` is set; on AWS Lambda that key is required.
 */
export async function composeRegistry(config: RegistryConfig): Promise<ComposedDomain> {
  let store: RegistryStore;
  let events: EventPublisher;
  const adapters: Record<string, string> = {};
  const prefix = tablesPrefix(config, "the registry");
  if (prefix === undefined) {
    store = createMemoryRegistryStore();
    events = inProcessEvents();
    adapters.events = "in-process";
  } else {
    const client = new DynamoDBClient(awsClientConfig(config, dynamoDbEndpoint(config)));
    const tableName = tableNames(prefix).registry;
    // Against a local emulator, create the table on first use; deployed tables come from infrastructure code.
    if (dynamoDbEndpoint(config)) await createRegistryTable(client, tableName);
    store = createDynamoRegistryStore({ client, tableName });
    events = createEventBridgePublisher({
      client: new EventBridgeClient(awsClientConfig(config)),
      eventBusName: config.EVENT_BUS_NAME,
      source: "portside.registry",
    });
    adapters.events = `eventbridge:${config.EVENT_BUS_NAME}`;
  }
  adapters.store = store.label;

  // The algorithm is pinned: HS256 for the secret, each JWKS key's own `alg` for the key set.
  const key = config.REGISTRY_JWKS_URL
    ? pinnedJwks(new URL(config.REGISTRY_JWKS_URL))
    : config.REGISTRY_JWT_SECRET
      ? new TextEncoder().encode(config.REGISTRY_JWT_SECRET)
      : undefined;
  const authenticate = key
    ? jwtAuthenticator({
        key,
        ...(config.REGISTRY_JWKS_URL ? {} : { algorithms: ["HS256"] }),
        ...(config.REGISTRY_JWT_ISSUER && { issuer: config.REGISTRY_JWT_ISSUER }),
        ...(config.REGISTRY_JWT_AUDIENCE && { audience: config.REGISTRY_JWT_AUDIENCE }),
        defaultOrganisation: config.REGISTRY_DEFAULT_ORGANISATION,
      })
    : () => null;
  const anonymous = anonymousPolicy(config, key !== undefined);
  adapters.auth = `${key ? "jwt" : "none"}; anonymous: ${anonymous ? anonymous.roles!.join("+") : "refused"}`;

  const service = createRegistryDomain({ store, events });
  return {
    name: "registry",
    routes: domainRoutes.registry,
    adapters,
    handler: createRegistryHandler({
      service,
      authenticate,
      ...(anonymous && { anonymous }),
      maxUploadBytes: config.REGISTRY_MAX_UPLOAD_BYTES,
    }),
  };
}
