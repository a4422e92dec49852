import { CONNECTION_TTL_ATTRIBUTE, djRoomTableDefinitions } from "../dj-room/tables.js";
import { WEBSOCKET_ROUTE_KEYS, WEBSOCKET_ROUTE_SELECTION_EXPRESSION } from "../dj-room/websocket-api.js";
import { tableName } from "../dynamodb/table-names.js";
import { profileDepsTableDefinitions } from "../profile-deps/tables.js";
import { registryTableDefinition } from "../registry/table.js";
import type { SetupResource } from "./resources.js";

/** A domain whose AWS resources `portside setup` plans. */
export type SetupDomain = "registry" | "event-recorder" | "profile-deps" | "dj-room";

/** Options of `domainResources`: the name prefix and what the domain's adapters are configured with. */
export interface DomainResourceOptions {
  /** `DYNAMODB_TABLES_USERID`: the stage when deployed. Prefixes every table, queue and rule. */
  readonly prefix: string;
  /** The bus the services publish to. Default `default`. */
  readonly eventBusName?: string;
  /**
   * dj-room: the Lambda function serving its WebSocket routes (`$connect`, `$disconnect`,
   * `$default`). Given, setup ensures the WebSocket API `<prefix>-dj-room` (stage `<prefix>`)
   * invoking it; without it, dj-room hosts stream Server-Sent Events themselves.
   */
  readonly webSocketFunctionName?: string;
}

/** Names of the queues and rules a domain's resources use, so hosts and tests read them from one place. */
export function domainQueueNames(prefix: string) {
  return {
    auditEvents: `${prefix}-audit-events`,
    profileValidation: `${prefix}-profile-validation`,
    profileResults: `${prefix}-profile-results`,
  } as const;
}

const PROFILE_SOURCE = "portside.profile-deps";

/**
 * The AWS resources a domain's adapters need, built from the same definitions the adapters use
 * (one source of truth for keys and indexes).
 */
export function domainResources(domain: SetupDomain, options: DomainResourceOptions): SetupResource[] {
  const { prefix, eventBusName = "default" } = options;
  const queues = domainQueueNames(prefix);
  switch (domain) {
    case "registry":
      return [{ kind: "table", definition: registryTableDefinition(tableName(prefix, "registry")) }];
    case "dj-room":
      return [
        // Rate-limit windows and WebSocket connections expire by TTL on the rooms table.
        ...djRoomTableDefinitions(prefix).map((definition) => ({
          kind: "table" as const,
          definition,
          timeToLiveAttribute: CONNECTION_TTL_ATTRIBUTE,
        })),
        ...(options.webSocketFunctionName
          ? [
              {
                kind: "websocket-api" as const,
                name: `${prefix}-dj-room`,
                routeSelectionExpression: WEBSOCKET_ROUTE_SELECTION_EXPRESSION,
                routeKeys: WEBSOCKET_ROUTE_KEYS,
                functionName: options.webSocketFunctionName,
                stageName: prefix,
              },
            ]
          : []),
      ];
    case "event-recorder":
      return [{ kind: "queue", name: queues.auditEvents, deadLetter: { maxReceiveCount: 5 } }];
    case "profile-deps":
      return [
        ...profileDepsTableDefinitions(prefix).map((definition) => ({ kind: "table" as const, definition })),
        {
          kind: "queue",
          name: queues.profileValidation,
          deadLetter: { maxReceiveCount: 5 },
          fromEventBridge: true,
        },
        {
          kind: "queue",
          name: queues.profileResults,
          deadLetter: { maxReceiveCount: 5 },
          fromEventBridge: true,
        },
        {
          kind: "rule",
          name: `${prefix}-profile-changed`,
          eventBusName,
          eventPattern: { source: [PROFILE_SOURCE], "detail-type": ["ProfileChanged"] },
          targetQueue: queues.profileValidation,
        },
        {
          kind: "rule",
          name: `${prefix}-profile-validated`,
          eventBusName,
          eventPattern: { source: [PROFILE_SOURCE], "detail-type": ["ProfileValidated"] },
          targetQueue: queues.profileResults,
        },
      ];
  }
}
