import type { Manifest, ServiceEntry } from "./schema.js";

/**
 * Everything named after a service, derived by one rule from its manifest name:
 * `/` becomes `-` for the id; the id, prefixed by the stage, names every AWS resource.
 *
 * | name        | id          | package                 | tables (stage dev)        | functions              | stack             |
 * | ----------- | ----------- | ----------------------- | ------------------------- | ---------------------- | ----------------- |
 * | `rooms/api` | `rooms-api` | `@services/rooms-api`   | `dev-rooms-api-<table>`   | `dev-rooms-api-<host>` | `dev-rooms-api`   |
 */
export interface DerivedNames {
  readonly id: string;
  readonly packageName: string;
  /** The workspace folder of a generated service, relative to the manifest. */
  readonly directory: string;
  /** Prefix of the service's DynamoDB tables (`<prefix>-<table>`), as `DYNAMODB_TABLES_USERID`. */
  readonly tablePrefix: string;
  readonly stackName: string;
  functionName(handler: string): string;
}

export function serviceId(name: string): string {
  return name.replaceAll("/", "-");
}

export function deriveNames(
  manifest: Pick<Manifest, "scope">,
  service: Pick<ServiceEntry, "name">,
  stage: string,
): DerivedNames {
  const id = serviceId(service.name);
  const prefix = `${stage}-${id}`;
  return {
    id,
    packageName: `@${manifest.scope}/${id}`,
    directory: `services/${service.name}`,
    tablePrefix: prefix,
    stackName: prefix,
    functionName: (handler) => `${prefix}-${handler}`,
  };
}
