import type { TableDescription } from "@aws-sdk/client-dynamodb";
import type { TableResource } from "./resources.js";

type KeyElements =
  | readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[]
  | undefined;

const keys = (schema: KeyElements) => (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");

/**
 * What differs between a live table and the definition its adapter needs: key schema, key
 * attribute types, indexes (keys and projection) and the TTL attribute. Empty when it matches.
 * Extra indexes someone added are tolerated; a missing or different one is drift. TTL that is
 * off is not drift (setup turns it on); TTL on another attribute is.
 */
export function tableDrift(
  resource: TableResource,
  live: TableDescription,
  liveTimeToLiveAttribute: string | undefined,
): string[] {
  const want = resource.definition;
  const drift: string[] = [];
  if (keys(live.KeySchema) !== keys(want.KeySchema)) {
    drift.push(`key schema is ${keys(live.KeySchema)}, adapters need ${keys(want.KeySchema)}`);
  }
  const liveTypes = new Map((live.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  for (const attribute of want.AttributeDefinitions ?? []) {
    const type = liveTypes.get(attribute.AttributeName);
    if (type !== undefined && type !== attribute.AttributeType) {
      drift.push(`attribute ${attribute.AttributeName} is ${type}, adapters need ${attribute.AttributeType}`);
    }
  }
  const liveIndexes = new Map((live.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  for (const index of want.GlobalSecondaryIndexes ?? []) {
    const found = liveIndexes.get(index.IndexName);
    if (!found) {
      drift.push(`index ${index.IndexName} is missing`);
      continue;
    }
    if (keys(found.KeySchema) !== keys(index.KeySchema)) {
      drift.push(
        `index ${index.IndexName} keys are ${keys(found.KeySchema)}, adapters need ${keys(index.KeySchema)}`,
      );
    }
    const projection = found.Projection?.ProjectionType;
    if (projection !== index.Projection?.ProjectionType) {
      drift.push(
        `index ${index.IndexName} projects ${projection}, adapters need ${index.Projection?.ProjectionType}`,
      );
    }
  }
  const ttl = resource.timeToLiveAttribute;
  if (ttl !== undefined && liveTimeToLiveAttribute !== undefined && liveTimeToLiveAttribute !== ttl) {
    drift.push(`time to live is on ${liveTimeToLiveAttribute}, adapters need it on ${ttl}`);
  }
  return drift;
}
