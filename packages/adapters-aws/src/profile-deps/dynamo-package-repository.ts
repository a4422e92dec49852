import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import {
  createPackageFamily,
  type PackageDefinition,
  type PackageFamily,
  PackageVersionExistsError,
  type PublishablePackageRepository,
  parseVersion,
  repositoryDocumentSchema,
  type StoredPackageDefinition,
} from "@portside/profile-deps";
import { batchWriteAll } from "../dynamodb/batch.js";
import { createDocumentClient } from "../dynamodb/document-client.js";
import { isConditionalCheckFailed } from "../dynamodb/error-shapes.js";
import { queryAll, scanPages } from "../dynamodb/paginate.js";
import { putOnce, WRITE_TOKEN_ATTRIBUTE } from "../dynamodb/write-once.js";
import { storeFailure } from "./errors.js";
import { PACKAGES_TABLE } from "./tables.js";

/** Options of `createDynamoPackageRepository`: the client and the packages table. */
export interface DynamoPackageRepositoryOptions {
  client: DynamoDBClient;
  /** `<prefix>-packages`: see `tableName(prefix, "packages")`. */
  tableName: string;
  /** How long a family read stays cached (default 60 s; 0 disables the cache). */
  cacheTtlMs?: number;
  /** Time source for the cache, for tests. */
  now?: () => number;
}

export interface DynamoPackageRepository extends PublishablePackageRepository {
  /** Loads a `rez-benchmark-repository/1` document (seeding, migrations); existing versions are overwritten. */
  importDocument(document: unknown): Promise<{ packages: number }>;
  /** Drops cached families (all, or one). */
  invalidate(family?: string): void;
  /** Whether the table holds no package at all (one item read), e.g. to seed it once. */
  isEmpty(): Promise<boolean>;
}

/** Versions equal by Rez's rules (`1.0` and `1-0`) share one sort key, so only one can be published. */
const versionSortKey = (version: string) => `V#${parseVersion(version).text.replace(/-/g, ".")}`;

/**
 * Package versions in DynamoDB (`family` = name, `sk` = `V#<version>`), read through a
 * per-family cache the resolver uses. Publishing is a conditional put: a published
 * version is immutable.
 */
export function createDynamoPackageRepository(
  options: DynamoPackageRepositoryOptions,
): DynamoPackageRepository {
  const TableName = options.tableName;
  const ttl = options.cacheTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const doc = createDocumentClient(options.client);
  const cache = new Map<string, { family: PackageFamily | undefined; expires: number }>();
  const inflight = new Map<string, Promise<PackageFamily | undefined>>();

  const loadFamily = async (name: string): Promise<PackageFamily | undefined> => {
    const items = await queryAll(doc, {
      TableName,
      KeyConditionExpression: "#family = :family",
      ExpressionAttributeNames: { "#family": PACKAGES_TABLE.partitionKey },
      ExpressionAttributeValues: { ":family": name },
      // A version just published must be there for the validation that follows it.
      ConsistentRead: true,
    });
    const versions = items.map((item): [string, PackageDefinition] => [
      String(item.version),
      {
        requires: (item.requires as string[] | undefined) ?? [],
        ...(item.variants ? { variants: item.variants as string[][] } : {}),
        ...(typeof item.timestamp === "number" ? { timestamp: item.timestamp } : {}),
      },
    ]);
    return versions.length === 0 ? undefined : createPackageFamily(name, versions);
  };

  const getFamily = async (name: string): Promise<PackageFamily | undefined> => {
    const cached = cache.get(name);
    if (cached && cached.expires > now()) return cached.family;
    let pending = inflight.get(name);
    if (!pending) {
      pending = loadFamily(name)
        .then((family) => {
          if (ttl > 0) cache.set(name, { family, expires: now() + ttl });
          return family;
        })
        .finally(() => inflight.delete(name));
      inflight.set(name, pending);
    }
    try {
      return await pending;
    } catch (error) {
      throw storeFailure("getFamily", error);
    }
  };

  const item = (family: string, version: string, definition: PackageDefinition) => ({
    [PACKAGES_TABLE.partitionKey]: family,
    [PACKAGES_TABLE.sortKey]: versionSortKey(version),
    version,
    requires: [...definition.requires],
    ...(definition.variants ? { variants: definition.variants.map((v) => [...v]) } : {}),
    ...(definition.timestamp !== undefined ? { timestamp: definition.timestamp } : {}),
  });

  return {
    getFamily,

    async listFamilies() {
      const names = new Set<string>();
      try {
        for await (const page of scanPages(doc, {
          TableName,
          ProjectionExpression: "#family",
          ExpressionAttributeNames: { "#family": PACKAGES_TABLE.partitionKey },
        })) {
          for (const i of page.items) names.add(String(i[PACKAGES_TABLE.partitionKey]));
        }
      } catch (error) {
        throw storeFailure("listFamilies", error);
      }
      return [...names].sort();
    },

    async addPackage(family, version, definition: StoredPackageDefinition) {
      // The token tells a retry after a lost response (which finds the version there) that it is ours.
      const token = randomUUID();
      const stored = { ...item(family, version, definition), [WRITE_TOKEN_ATTRIBUTE]: token };
      try {
        await putOnce(
          doc,
          {
            TableName,
            Item: stored,
            ConditionExpression: "attribute_not_exists(#family)",
            ExpressionAttributeNames: { "#family": PACKAGES_TABLE.partitionKey },
          },
          { [PACKAGES_TABLE.partitionKey]: family, [PACKAGES_TABLE.sortKey]: stored[PACKAGES_TABLE.sortKey] },
          { token },
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new PackageVersionExistsError(family, version);
        throw storeFailure("addPackage", error);
      } finally {
        cache.delete(family);
      }
    },

    async importDocument(document) {
      const parsed = repositoryDocumentSchema.parse(document);
      const items = Object.entries(parsed.families).flatMap(([family, versions]) =>
        Object.entries(versions).map(([version, definition]) => item(family, version, definition)),
      );
      try {
        await batchWriteAll(
          doc,
          TableName,
          items.map((Item) => ({ PutRequest: { Item } })),
        );
      } catch (error) {
        throw storeFailure("importDocument", error);
      }
      cache.clear();
      return { packages: items.length };
    },

    async isEmpty() {
      try {
        const { Items = [] } = await doc.send(new ScanCommand({ TableName, Limit: 1 }));
        return Items.length === 0;
      } catch (error) {
        throw storeFailure("isEmpty", error);
      }
    },

    invalidate(family) {
      if (family === undefined) cache.clear();
      else cache.delete(family);
    },
  };
}
