import { afterAll, beforeAll, describe, expect } from "vitest";
import { ConflictError } from "../errors.js";
import type { EntityType } from "../model/entity-type.js";
import { compositeKey } from "../store/index-key.js";
import type { ImportJobRecord, RegistryStore } from "../store/registry-store.js";
import type { Edge, StoredEntity } from "../store/stored-entity.js";
import { type ConformanceOptions, freshOrg, rejection, testUnlessSkipped } from "./conformance-options.js";

const NOW = "2026-01-01T00:00:00.000Z";

function entity(
  organisation: string,
  id: string,
  extra: { version?: number; key?: string; unique?: string; links?: Edge[]; type?: string } = {},
): StoredEntity {
  return {
    organisation,
    type: extra.type ?? "thing",
    id,
    version: extra.version ?? 1,
    typeVersion: 1,
    data: { f1: extra.key ?? id },
    owners: [{ kind: "organisation", id: organisation }],
    createdAt: NOW,
    updatedAt: NOW,
    index: extra.key === undefined ? [] : [{ fieldId: "f1", key: extra.key }],
    unique: extra.unique === undefined ? [] : [{ fieldId: "f2", key: extra.unique }],
    links: extra.links ?? [],
  };
}

const next = (e: StoredEntity, change: Partial<StoredEntity> = {}): StoredEntity => ({
  ...e,
  ...change,
  version: e.version + 1,
});

/**
 * The `RegistryStore` port itself: versions, atomic commits, unique keys, link conditions, index
 * order (both ways), paging and job records, written through the port and read back (and through
 * the backdoor, when given). Run it on each adapter beside `registryServiceConformance`.
 */
export function registryStoreConformance(name: string, options: ConformanceOptions): void {
  const it = testUnlessSkipped(options.skip);
  describe(`RegistryStore port conformance: ${name}`, () => {
    let store: RegistryStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      await options.destroy?.(store);
    });

    it("creates, versions and deletes types, refusing stale versions", async () => {
      const org = freshOrg();
      const type: EntityType = {
        organisation: org,
        name: "thing",
        description: "",
        tags: [],
        fields: [],
        version: 1,
        createdAt: NOW,
        updatedAt: NOW,
      };
      await store.saveType(type, null);
      expect(await rejection(store.saveType(type, null))).toBeInstanceOf(ConflictError);
      await store.saveType({ ...type, version: 2, tags: ["x"] }, 1);
      expect(await rejection(store.saveType({ ...type, version: 3 }, 1))).toBeInstanceOf(ConflictError);
      expect(await store.getType(org, "thing")).toMatchObject({ version: 2, tags: ["x"] });
      expect((await store.listTypes(org)).map((t) => t.name)).toEqual(["thing"]);
      expect(await rejection(store.deleteType(org, "thing", 1))).toBeInstanceOf(ConflictError);
      await store.deleteType(org, "thing", 2);
      expect(await store.getType(org, "thing")).toBeNull();
    });

    it("applies every write of a commit or none", async () => {
      const org = freshOrg();
      const a = entity(org, "a", { key: "k1" });
      await store.commit([{ op: "create", entity: a }]);
      const error = await rejection(
        store.commit([
          { op: "create", entity: entity(org, "b") },
          { op: "update", entity: next(a), previous: { ...a, version: 9 } },
        ]),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(await store.getEntity(org, "b")).toBeNull();
      expect(await rejection(store.commit([{ op: "create", entity: a }]))).toBeInstanceOf(ConflictError);
      const b = next(a, { data: { f1: "changed" } });
      await store.commit([{ op: "update", entity: b, previous: a }]);
      expect(await store.getEntity(org, "a")).toEqual(b);
      if (options.backdoor) expect(await options.backdoor(store).entity(org, "a")).toEqual(b);
      expect(await rejection(store.commit([{ op: "delete", entity: a }]))).toBeInstanceOf(ConflictError);
      await store.commit([{ op: "delete", entity: b }]);
      expect(await store.getEntities(org, ["a", "b"])).toEqual([]);
    });

    it("holds a unique key for one entity of a type, releasing it on change", async () => {
      const org = freshOrg();
      const a = entity(org, "a", { unique: "u" });
      await store.commit([{ op: "create", entity: a }]);
      expect(await store.findUnique(org, "thing", "f2", "u")).toBe("a");
      const racing = await Promise.allSettled(
        ["b", "c", "d"].map((id) =>
          store.commit([{ op: "create", entity: entity(org, id, { unique: "v" }) }]),
        ),
      );
      expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(
        await rejection(store.commit([{ op: "create", entity: entity(org, "e", { unique: "u" }) }])),
      ).toBeInstanceOf(ConflictError);
      await store.commit([
        { op: "update", entity: next(a, { unique: [{ fieldId: "f2", key: "w" }] }), previous: a },
      ]);
      expect(await store.findUnique(org, "thing", "f2", "u")).toBeNull();
      await store.commit([{ op: "create", entity: entity(org, "e", { unique: "u" }) }]);
    });

    it("requires link targets and refuses to strand a link, unless the source goes in the same commit", async () => {
      const org = freshOrg();
      const edge = (targetId: string): Edge => ({ fieldId: "l", targetType: "thing", targetId });
      expect(
        await rejection(store.commit([{ op: "create", entity: entity(org, "s", { links: [edge("t")] }) }])),
      ).toBeInstanceOf(ConflictError);
      const t = entity(org, "t");
      const s = entity(org, "s", { links: [edge("t")] });
      await store.commit([{ op: "create", entity: t }]);
      await store.commit([{ op: "create", entity: s }]);
      expect(await store.incoming(org, "t")).toEqual([{ sourceType: "thing", sourceId: "s", fieldId: "l" }]);
      expect(await rejection(store.commit([{ op: "delete", entity: t }]))).toBeInstanceOf(ConflictError);
      await store.commit([
        { op: "delete", entity: t },
        { op: "delete", entity: s },
      ]);
      expect(await store.incoming(org, "t")).toEqual([]);
    });

    it("lists ids and walks an index in key order both ways, within bounds and after a position", async () => {
      const org = freshOrg();
      const keys = ["b", "a", "d", "c", "e"];
      for (const [i, key] of keys.entries())
        await store.commit([{ op: "create", entity: entity(org, `id${i}`, { key }) }]);
      expect(await store.listIds(org, "thing", null, 10)).toEqual(["id0", "id1", "id2", "id3", "id4"]);
      expect(await store.listIds(org, "thing", "id1", 2)).toEqual(["id2", "id3"]);
      const range = {
        lower: { key: "b", inclusive: true },
        upper: { key: compositeKey("d", "\u{10FFFF}"), inclusive: true },
      };
      const up = await store.indexRange(org, "thing", "f1", range, 10);
      expect(up.map((h) => h.id)).toEqual(["id0", "id3", "id2"]);
      const down = await store.indexRange(org, "thing", "f1", range, 2, { descending: true });
      expect(down.map((h) => h.id)).toEqual(["id2", "id3"]);
      const all = await store.indexRange(org, "thing", "f1", {}, 10, { descending: true });
      expect(all.map((h) => h.id)).toEqual(["id4", "id2", "id3", "id0", "id1"]);
      const exclusive = await store.indexRange(
        org,
        "thing",
        "f1",
        { lower: { key: up[0]!.key, inclusive: false } },
        10,
      );
      expect(exclusive.map((h) => h.id)).toEqual(["id3", "id2", "id4"]);
    });

    it("pages incoming links by source type and id", async () => {
      const org = freshOrg();
      await store.commit([{ op: "create", entity: entity(org, "hub") }]);
      for (const id of ["s3", "s1", "s2"]) {
        await store.commit([
          {
            op: "create",
            entity: entity(org, id, { links: [{ fieldId: "l", targetType: "thing", targetId: "hub" }] }),
          },
        ]);
      }
      expect((await store.incoming(org, "hub")).map((e) => e.sourceId)).toEqual(["s1", "s2", "s3"]);
      const page = await store.incoming(org, "hub", { sourceType: "thing", afterSourceId: "s1", limit: 1 });
      expect(page.map((e) => e.sourceId)).toEqual(["s2"]);
    });

    it("keeps job records with versions", async () => {
      const org = freshOrg();
      const job: ImportJobRecord = {
        kind: "import",
        organisation: org,
        id: "job-1",
        type: "thing",
        format: "csv",
        mode: "all-or-nothing",
        dryRun: false,
        status: "running",
        cancelRequested: false,
        rows: 0,
        rowsDone: 0,
        created: 0,
        updated: 0,
        failed: 0,
        committed: false,
        errors: [],
        moreErrors: 0,
        notRolledBack: [],
        undoRecords: 0,
        startedAt: NOW,
        updatedAt: NOW,
        version: 1,
      };
      await store.saveJob(job, null);
      expect(await rejection(store.saveJob(job, null))).toBeInstanceOf(ConflictError);
      await store.saveJob({ ...job, rows: 5, version: 2 }, 1);
      expect(await rejection(store.saveJob({ ...job, version: 3 }, 1))).toBeInstanceOf(ConflictError);
      expect(await store.getJob(org, "job-1")).toEqual({ ...job, rows: 5, version: 2 });
      expect(await store.getJob(org, "job-2")).toBeNull();
    });

    options.additionalTests?.({ store: () => store });
  });
}
