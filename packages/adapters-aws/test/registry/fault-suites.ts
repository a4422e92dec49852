import { deleteTables } from "@portside/adapters-aws/dynamodb";
import { createDynamoRegistryStore, createRegistryTable } from "@portside/adapters-aws/registry";
import {
  type ConformanceOptions,
  registryServiceConformance,
  registryStoreConformance,
} from "@portside/registry-core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { faultProfiles, faultyDynamoClient, uniqueName } from "#test-support";

/**
 * Under a lagging index, lists, searches, exports and incoming links show writes late, as
 * DynamoDB's GSIs do; these tests read their own writes through the index at once, so that profile
 * leaves them out. The migration ones are also left out for a known gap: a migration job lists
 * entities through the index, so under lag it can miss an entity created in the lag window (it is
 * still converted when read). Every other test (versions, unique keys, rollbacks, limits) runs under
 * that profile too; a cascade deciding from a lagging index has its own test
 * (dynamo-lagging-cascade.test.ts).
 */
const readsOwnWritesThroughTheIndex = [
  "requires link targets and refuses to strand a link, unless the source goes in the same commit",
  "lists ids and walks an index in key order both ways, within bounds and after a position",
  "pages incoming links by source type and id",
  "keeps data through a field rename (fields are identified by id)",
  "enforces unique fields across concurrent creates",
  "isolates organisations: types, entities and searches",
  "gives anonymous actors their default organisation, read-only unless allowed",
  "shows one edge from both sides",
  "restricts, cascades and unlinks on delete, atomically",
  "keeps links symmetric under random link, unlink and delete sequences (property)",
  "filters on equality, ranges, in and prefix, ANDed",
  "finds by ids and refuses a filter on a field that is not indexed",
  "pages with an opaque cursor in a stable order, each match once (property)",
  "pages a hub's links in both directions, each linked entity once",
  "refuses a cursor from another search",
  "imports CSV all-or-nothing, linking rows to earlier and later rows by the upsert field",
  "reports every bad row with its number and field and writes nothing when all-or-nothing",
  "keeps good rows in best-effort mode and writes nothing on a dry run",
  "upserts on a unique field from a JSON array",
  "exports a type or a search as CSV that imports back, and as NDJSON",
  "backfills an added field's default and converts a changed field type",
  "runs an import as a job whose progress is readable and whose report lists each bad row",
  "refuses an empty upload",
  "leaves the store as it found it when an all-or-nothing upload goes over its size limit",
  "never rolls back a row someone changed after the import wrote it, and lists it",
  "cancels a running all-or-nothing import and undoes what it wrote",
  "resumes an import a crash interrupted, writing each row once",
  "removes a field only when asked by name with the current version, counting the entities that held data",
  "yields to other work between slices and shows progress per slice",
  "keeps a multi-link's order across export and re-import",
  "escapes formula-leading CSV cells on export and restores them on import",
  "filters with ne, nin, contains (any case), exists and an OR",
  "sorts by an indexed field both ways with stable cursors, and counts on request",
];

/** Both registry suites on dynoxide under each named fault profile, one table per profile. */
export function registryUnderFaults(names: readonly string[]): void {
  for (const profile of faultProfiles.filter((p) => names.includes(p.name))) {
    describe(`under ${profile.name}`, () => {
      const { client, counts } = faultyDynamoClient(profile);
      const tableName = uniqueName("registry-faults");
      let created: Promise<void> | undefined;
      const options: ConformanceOptions = {
        async create() {
          created ??= createRegistryTable(client, tableName);
          await created;
          return createDynamoRegistryStore({ client, tableName });
        },
        propertyRuns: 3,
        ...(profile.options.indexLagMs && { skip: readsOwnWritesThroughTheIndex }),
      };
      registryStoreConformance(`dynamodb under ${profile.name}`, options);
      registryServiceConformance(`dynamodb under ${profile.name}`, options);

      it(`exercised ${profile.name}`, () => {
        expect(Object.values(counts).some((n) => n > 0)).toBe(true);
      });

      afterAll(() => deleteTables(client, [tableName]));
    });
  }
}
