import { afterAll, beforeAll, describe, expect } from "vitest";
import { createMemoryRegistryStore } from "../memory/memory-store.js";
import type { SearchIndex } from "../ports/search-index.js";
import { createRegistryService } from "../service/registry-service.js";
import { freshOrg, rejection, testUnlessSkipped } from "./conformance-options.js";
import { actors, companyType, personType } from "./fixtures.js";

/** Options of the search index conformance suite. */
export interface SearchIndexConformanceOptions {
  /** Builds the index under test over empty storage. */
  create(): Promise<SearchIndex> | SearchIndex;
  /** Cleans up the index after the suite. */
  destroy?(index: SearchIndex): Promise<void> | void;
  skip?: readonly string[];
  /** Adds the adapter's own tests to the suite. */
  additionalTests?(context: { index(): SearchIndex }): void;
}

/** The behaviour every `SearchIndex` must show, directly and fed by the registry. */
export function searchIndexConformance(name: string, options: SearchIndexConformanceOptions): void {
  const it = testUnlessSkipped(options.skip);
  describe(`SearchIndex conformance: ${name}`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = await options.create();
    });
    afterAll(async () => {
      await options.destroy?.(index);
    });

    it("finds documents holding every word (the last as a prefix), per organisation and type, and pages", async () => {
      const org = freshOrg();
      await index.upsert([
        { organisation: org, type: "person", id: "a", text: "Ada Lovelace wrote the first program" },
        { organisation: org, type: "person", id: "b", text: "Alan Turing, codebreaker" },
        { organisation: org, type: "person", id: "c", text: "Grace Hopper programmed the Mark I" },
        { organisation: org, type: "company", id: "d", text: "Program Inc" },
        { organisation: freshOrg(), type: "person", id: "e", text: "program" },
      ]);
      const ids = async (text: string) =>
        (await index.search({ organisation: org, type: "person", text, limit: 10 })).ids;
      expect((await ids("program")).sort()).toEqual(["a", "c"]);
      expect(await ids("PROGRAM lovelace")).toEqual(["a"]);
      expect(await ids("turing codebr")).toEqual(["b"]);
      expect(await ids("nobody")).toEqual([]);
      expect(await ids("'); drop table x; --")).toEqual([]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await index.search({
          organisation: org,
          type: "person",
          text: "prog",
          limit: 1,
          cursor,
        });
        seen.push(...page.ids);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(["a", "c"]);
      await index.upsert([{ organisation: org, type: "person", id: "a", text: "retired" }]);
      await index.remove([{ organisation: org, id: "c" }]);
      expect(await ids("program")).toEqual([]);
    });

    it("is fed by the registry's commits and answers search(…, { text })", async () => {
      const registry = createRegistryService({ store: createMemoryRegistryStore(), searchIndex: index });
      const { admin, writer } = actors(freshOrg());
      await registry.createType(admin, companyType);
      await registry.createType(admin, personType);
      const ada = await registry.createEntity(writer, "person", {
        data: { name: "Ada", notes: "analytical engine" },
      });
      const alan = await registry.createEntity(writer, "person", { data: { name: "Alan", notes: "enigma" } });
      const found = async (text: string) =>
        (await registry.search(writer, "person", { text })).items.map((e) => e.id);
      expect(await found("engine")).toEqual([ada.id]);
      await registry.updateEntity(writer, "person", alan.id, { data: { notes: "bombe engine" } });
      expect((await found("engine")).sort()).toEqual([ada.id, alan.id].sort());
      await registry.deleteEntity(writer, "person", ada.id);
      expect(await found("analytical")).toEqual([]);
      expect(
        await rejection(registry.search(writer, "person", { text: "x", where: { age: 3 } })),
      ).toMatchObject({
        code: "INVALID_QUERY",
      });
    });

    options.additionalTests?.({ index: () => index });
  });
}
