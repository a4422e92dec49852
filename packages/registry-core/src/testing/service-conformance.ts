import fc from "fast-check";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { exportEntities } from "../bulk/export.js";
import {
  ConflictError,
  PreconditionFailedError,
  RegistryError,
  RegistryErrorCode,
  ValidationError,
} from "../errors.js";
import { anonymousActor } from "../model/actor.js";
import { createMemoryPublisher } from "../ports.js";
import type { SearchFilter } from "../search/filter.js";
import { createRegistryService, type RegistryService } from "../service/registry-service.js";
import type { RegistryStore } from "../store/registry-store.js";
import { type ConformanceOptions, freshOrg, rejection, testUnlessSkipped } from "./conformance-options.js";
import { actors, companyType, employeeType, personType, taskType } from "./fixtures.js";
import { serviceBehaviourTests } from "./service-behaviour.js";

/**
 * The behaviour every store must show through the service (types, entities, links, search, bulk,
 * migrations, events, and the guarantees of #16): run it on each adapter beside `registryStoreConformance`.
 */
export function registryServiceConformance(name: string, options: ConformanceOptions): void {
  const runs = options.propertyRuns ?? 25;
  const it = testUnlessSkipped(options.skip);
  describe(`RegistryService conformance: ${name}`, () => {
    let store: RegistryStore;
    let registry: RegistryService;
    const events = createMemoryPublisher();

    beforeAll(async () => {
      store = await options.create();
      registry = createRegistryService({ store, events, migrations: { batchSize: 2 } });
    });
    afterAll(async () => {
      await options.destroy?.(store);
    });

    async function setup() {
      const org = freshOrg();
      const a = actors(org);
      await registry.createType(a.admin, companyType);
      await registry.createType(a.admin, personType);
      await registry.createType(a.admin, taskType);
      await registry.createType(a.admin, employeeType);
      return { org, ...a };
    }

    describe("entity types", () => {
      it("creates, lists by tag, reads and versions a type", async () => {
        const { admin } = await setup();
        const person = await registry.getType(admin, "person");
        expect(person.version).toBe(1);
        expect(person.fields.map((f) => f.name)).toContain("employer");
        expect((await registry.listTypes(admin, { tag: "people" })).map((t) => t.name)).toEqual(["person"]);
        const { type } = await registry.changeType(admin, "person", { tags: ["hr"] }, { expectedVersion: 1 });
        expect(type.version).toBe(2);
        const stale = await rejection(
          registry.changeType(admin, "person", { tags: ["x"] }, { expectedVersion: 1 }),
        );
        expect(stale).toBeInstanceOf(PreconditionFailedError);
      });

      it("refuses a duplicate type name and a link to a missing type", async () => {
        const { admin } = await setup();
        expect(await rejection(registry.createType(admin, companyType))).toBeInstanceOf(ConflictError);
        const bad = await rejection(
          registry.createType(admin, {
            name: "x",
            fields: [{ name: "to", type: "link", link: { target: "nope" } }],
          }),
        );
        expect(bad).toBeInstanceOf(ValidationError);
      });

      it("keeps data through a field rename (fields are identified by id)", async () => {
        const { admin, writer } = await setup();
        const e = await registry.createEntity(writer, "company", { data: { name: "Acme", country: "NL" } });
        const type = await registry.getType(admin, "company");
        const fields = type.fields.map((f) => (f.name === "country" ? { ...f, name: "nation" } : f));
        await registry.changeType(admin, "company", { fields });
        const read = await registry.getEntity(writer, "company", e.id);
        expect(read.data).toEqual({ name: "Acme", nation: "NL" });
        const found = await registry.search(writer, "company", { where: { nation: "NL" } });
        expect(found.items.map((i) => i.id)).toEqual([e.id]);
      });

      it("refuses non-admins and deletes an empty type", async () => {
        const { admin, writer } = await setup();
        expect(await rejection(registry.createType(writer, { name: "x" }))).toMatchObject({
          code: "FORBIDDEN",
        });
        await registry.createType(admin, { name: "scratch" });
        await registry.deleteType(admin, "scratch");
        expect(await rejection(registry.getType(admin, "scratch"))).toMatchObject({ code: "NOT_FOUND" });
      });
    });

    describe("entities", () => {
      it("creates, reads, merges an update and deletes", async () => {
        const { writer } = await setup();
        const created = await registry.createEntity(writer, "person", {
          data: { name: "Ada", email: "ada@example.com", age: 36, born: "1815-12-10", profile: { a: [1] } },
        });
        expect(created.version).toBe(1);
        expect(created.data.active).toBe(true);
        expect(created.owners).toEqual([{ kind: "user", id: writer.id }]);
        const updated = await registry.updateEntity(
          writer,
          "person",
          created.id,
          { data: { age: 37, born: null } },
          1,
        );
        expect(updated.version).toBe(2);
        expect(updated.data).toMatchObject({ name: "Ada", age: 37 });
        expect(updated.data.born).toBeUndefined();
        await registry.deleteEntity(writer, "person", created.id, 2);
        expect(await rejection(registry.getEntity(writer, "person", created.id))).toMatchObject({
          code: "NOT_FOUND",
        });
      });

      it("lists every bad field, refuses unknown fields and writes nothing", async () => {
        const { writer } = await setup();
        const error = (await rejection(
          registry.createEntity(writer, "person", {
            id: "bad-1",
            data: { email: "not-an-email", age: 1.5, level: "boss", surprise: 1 },
          }),
        )) as ValidationError;
        expect(error).toBeInstanceOf(ValidationError);
        const paths = error.issues.map((i) => i.path.join("."));
        expect(paths).toEqual(
          expect.arrayContaining(["data.name", "data.email", "data.age", "data.level", "data.surprise"]),
        );
        expect(await rejection(registry.getEntity(writer, "person", "bad-1"))).toMatchObject({
          code: "NOT_FOUND",
        });
      });

      it("enforces unique fields across concurrent creates", async () => {
        const { writer } = await setup();
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () =>
            registry.createEntity(writer, "company", { data: { name: "Same" } }),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
        const page = await registry.search(writer, "company", { where: { name: "Same" } });
        expect(page.items).toHaveLength(1);
      });

      it("frees a unique value when it changes", async () => {
        const { writer } = await setup();
        const a = await registry.createEntity(writer, "company", { data: { name: "Old" } });
        await registry.updateEntity(writer, "company", a.id, { data: { name: "New" } });
        await registry.createEntity(writer, "company", { data: { name: "Old" } });
        expect(
          await rejection(registry.createEntity(writer, "company", { data: { name: "New" } })),
        ).toBeInstanceOf(ConflictError);
      });

      it("answers a stale expected version with PRECONDITION_FAILED", async () => {
        const { writer } = await setup();
        const e = await registry.createEntity(writer, "task", { data: { title: "t" } });
        await registry.updateEntity(writer, "task", e.id, { data: { title: "u" } }, 1);
        const error = await rejection(
          registry.updateEntity(writer, "task", e.id, { data: { title: "v" } }, 1),
        );
        expect(error).toBeInstanceOf(PreconditionFailedError);
        expect(await rejection(registry.deleteEntity(writer, "task", e.id, 1))).toBeInstanceOf(
          PreconditionFailedError,
        );
      });

      it("loses no update under concurrent writers (property)", async () => {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 2, max: 6 }), async (writers) => {
            const { writer } = await setup();
            const e = await registry.createEntity(writer, "task", { data: { title: "count" } });
            await Promise.all(
              Array.from({ length: writers }, async () => {
                for (;;) {
                  const current = await registry.getEntity(writer, "task", e.id);
                  try {
                    await registry.updateEntity(
                      writer,
                      "task",
                      e.id,
                      { data: { counter: (current.data.counter as number) + 1 } },
                      current.version,
                    );
                    return;
                  } catch (error) {
                    if (!(error instanceof PreconditionFailedError)) throw error;
                  }
                }
              }),
            );
            const final = await registry.getEntity(writer, "task", e.id);
            expect(final.data.counter).toBe(writers);
            expect(final.version).toBe(writers + 1);
          }),
          { numRuns: Math.max(3, Math.floor(runs / 5)) },
        );
      });

      it("lets only owners, their groups and admins change an entity", async () => {
        const { writer, other, admin, reader } = await setup();
        const mine = await registry.createEntity(writer, "task", { data: { title: "mine" } });
        expect(
          await rejection(registry.updateEntity(other, "task", mine.id, { data: { title: "x" } })),
        ).toMatchObject({
          code: "FORBIDDEN",
        });
        expect(
          await rejection(registry.createEntity(reader, "task", { data: { title: "x" } })),
        ).toMatchObject({
          code: "FORBIDDEN",
        });
        const shared = await registry.createEntity(other, "task", {
          data: { title: "team" },
          owners: [{ kind: "group", id: "staff" }],
        });
        await registry.updateEntity(writer, "task", shared.id, { data: { title: "by group" } });
        await registry.updateEntity(admin, "task", mine.id, { data: { title: "by admin" } });
        expect((await registry.getEntity(reader, "task", mine.id)).data.title).toBe("by admin");
      });
    });

    describe("tenancy", () => {
      it("isolates organisations: types, entities and searches", async () => {
        const one = await setup();
        const two = await setup();
        const e = await registry.createEntity(one.writer, "company", {
          data: { name: "Only one", country: "FR" },
        });
        await registry.createEntity(two.writer, "company", { data: { name: "Only one", country: "FR" } });
        expect(await rejection(registry.getEntity(two.reader, "company", e.id))).toMatchObject({
          code: "NOT_FOUND",
        });
        expect(
          await rejection(registry.updateEntity(two.admin, "company", e.id, { data: {} })),
        ).toMatchObject({
          code: "NOT_FOUND",
        });
        const found = await registry.search(two.reader, "company", { where: { country: "FR" } });
        expect(found.items.map((i) => i.organisation)).toEqual([two.org]);
      });

      it("gives anonymous actors their default organisation, read-only unless allowed", async () => {
        const { org, writer } = await setup();
        await registry.createEntity(writer, "company", { data: { name: "Public" } });
        const anon = anonymousActor({ organisation: org });
        expect((await registry.search(anon, "company")).items).toHaveLength(1);
        expect(
          await rejection(registry.createEntity(anon, "company", { data: { name: "x" } })),
        ).toMatchObject({
          code: "FORBIDDEN",
        });
        const writable = anonymousActor({ organisation: org, canWrite: true });
        const made = await registry.createEntity(writable, "company", { data: { name: "anon" } });
        expect(made.owners).toEqual([{ kind: "organisation", id: org }]);
      });
    });

    describe("links", () => {
      it("shows one edge from both sides", async () => {
        const { writer } = await setup();
        const acme = await registry.createEntity(writer, "company", { data: { name: "Acme" } });
        const ada = await registry.createEntity(writer, "person", {
          data: { name: "Ada", employer: acme.id },
        });
        const company = await registry.getEntity(writer, "company", acme.id);
        expect(company.inverse).toEqual({ employees: [{ id: ada.id, type: "person" }] });
        const fromCompany = await registry.search(writer, "person", { links: [acme.id] });
        expect(fromCompany.items.map((i) => i.id)).toEqual([ada.id]);
        const fromPerson = await registry.search(writer, "company", { links: [ada.id] });
        expect(fromPerson.items.map((i) => i.id)).toEqual([acme.id]);
      });

      it("refuses a missing target or a target of the wrong type", async () => {
        const { writer } = await setup();
        const task = await registry.createEntity(writer, "task", { data: { title: "t" } });
        const missing = (await rejection(
          registry.createEntity(writer, "person", {
            data: { name: "x", employer: "00000000-0000-0000-0000-000000000000" },
          }),
        )) as ValidationError;
        expect(missing.issues[0]?.path).toEqual(["data", "employer"]);
        const wrong = await rejection(
          registry.createEntity(writer, "person", { data: { name: "x", employer: task.id } }),
        );
        expect(wrong).toBeInstanceOf(ValidationError);
      });

      it("restricts, cascades and unlinks on delete, atomically", async () => {
        const { writer } = await setup();
        const acme = await registry.createEntity(writer, "company", { data: { name: "Acme" } });
        const ada = await registry.createEntity(writer, "person", {
          data: { name: "Ada", employer: acme.id },
        });
        const bob = await registry.createEntity(writer, "person", { data: { name: "Bob" } });
        const t1 = await registry.createEntity(writer, "task", {
          data: { title: "t1", owner: ada.id, watchers: [bob.id] },
        });
        const t2 = await registry.createEntity(writer, "task", {
          data: { title: "t2", watchers: [ada.id, bob.id] },
        });
        const t3 = await registry.createEntity(writer, "task", { data: { title: "t3", blockedBy: [t1.id] } });

        const restricted = await rejection(registry.deleteEntity(writer, "person", ada.id));
        expect(restricted).toMatchObject({ code: RegistryErrorCode.linkRestricted });
        expect((await registry.getEntity(writer, "task", t1.id)).version).toBe(1);

        await registry.updateEntity(writer, "task", t3.id, { data: { blockedBy: null } });
        await registry.deleteEntity(writer, "person", ada.id);
        expect(await rejection(registry.getEntity(writer, "task", t1.id))).toMatchObject({
          code: "NOT_FOUND",
        });
        expect((await registry.getEntity(writer, "task", t2.id)).data.watchers).toEqual([bob.id]);
        expect((await registry.getEntity(writer, "company", acme.id)).inverse).toBeUndefined();
        expect((await registry.getEntity(writer, "person", bob.id)).inverse).toEqual({
          watching: [{ id: t2.id, type: "task" }],
        });
        await registry.deleteEntity(writer, "company", acme.id);
      });

      it("refuses a store delete that would strand a link written since it was read", async () => {
        const { writer, org } = await setup();
        const acme = await registry.createEntity(writer, "company", { data: { name: "Raced" } });
        const stale = (await store.getEntity(org, acme.id))!;
        await registry.createEntity(writer, "person", { data: { name: "Late", employer: acme.id } });
        expect(await rejection(store.commit([{ op: "delete", entity: stale }]))).toBeInstanceOf(
          ConflictError,
        );
        expect(await store.getEntity(org, acme.id)).not.toBeNull();
      });

      it("keeps links symmetric under random link, unlink and delete sequences (property)", async () => {
        const op = fc.oneof(
          fc.record({ kind: fc.constant("watch" as const), task: fc.nat(3), person: fc.nat(3) }),
          fc.record({ kind: fc.constant("unwatch" as const), task: fc.nat(3), person: fc.nat(3) }),
          fc.record({ kind: fc.constant("block" as const), task: fc.nat(3), other: fc.nat(3) }),
          fc.record({ kind: fc.constant("deletePerson" as const), person: fc.nat(3) }),
          fc.record({ kind: fc.constant("deleteTask" as const), task: fc.nat(3) }),
        );
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
            const { writer } = await setup();
            const people = await Promise.all(
              [0, 1, 2, 3].map((i) => registry.createEntity(writer, "person", { data: { name: `p${i}` } })),
            );
            const tasks = await Promise.all(
              [0, 1, 2, 3].map((i) => registry.createEntity(writer, "task", { data: { title: `t${i}` } })),
            );
            const alive = new Set([...people, ...tasks].map((e) => e.id));
            for (const o of ops) {
              try {
                if (o.kind === "watch" || o.kind === "unwatch") {
                  const task = tasks[o.task]!;
                  if (!alive.has(task.id)) continue;
                  const current = await registry.getEntity(writer, "task", task.id);
                  const watchers = new Set((current.data.watchers as string[] | undefined) ?? []);
                  if (o.kind === "watch") watchers.add(people[o.person]!.id);
                  else watchers.delete(people[o.person]!.id);
                  await registry.updateEntity(writer, "task", task.id, {
                    data: { watchers: watchers.size > 0 ? [...watchers] : null },
                  });
                } else if (o.kind === "block") {
                  const task = tasks[o.task]!;
                  if (!alive.has(task.id)) continue;
                  await registry.updateEntity(writer, "task", task.id, {
                    data: { blockedBy: [tasks[o.other]!.id] },
                  });
                } else if (o.kind === "deletePerson") {
                  await registry.deleteEntity(writer, "person", people[o.person]!.id);
                  alive.delete(people[o.person]!.id);
                } else {
                  await registry.deleteEntity(writer, "task", tasks[o.task]!.id);
                  alive.delete(tasks[o.task]!.id);
                }
              } catch (error) {
                if (
                  !(error instanceof RegistryError) ||
                  !["NOT_FOUND", "LINK_RESTRICTED", "VALIDATION_FAILED"].includes(error.code)
                ) {
                  throw error;
                }
              }
            }
            const entities = await store.getEntities(
              writer.organisation,
              [...people, ...tasks].map((e) => e.id),
            );
            const ids = new Set(entities.map((e) => e.id));
            const forward = new Set<string>();
            for (const e of entities) {
              for (const l of e.links) {
                expect(ids.has(l.targetId)).toBe(true);
                forward.add(`${e.id}>${l.fieldId}>${l.targetId}`);
              }
            }
            const backward = new Set<string>();
            for (const e of entities) {
              for (const edge of await store.incoming(writer.organisation, e.id)) {
                backward.add(`${edge.sourceId}>${edge.fieldId}>${e.id}`);
              }
            }
            expect([...backward].sort()).toEqual([...forward].sort());
          }),
          { numRuns: runs },
        );
      });
    });

    describe("search", () => {
      async function people() {
        const ctx = await setup();
        const rows = [
          { name: "Ada", address: "test address", age: 36, score: 9.5, level: "lead", born: "1815-12-10" },
          { name: "Alan", address: "other street", age: 41, score: -1, level: "senior", active: false },
          { name: "Grace", address: "test address", age: 85, score: 7, level: "lead" },
          { name: "Alice", address: "test addresses", age: 20, score: 0, level: "junior" },
          { name: "Bob", age: 36, level: "junior" },
        ];
        const made = [];
        for (const data of rows) made.push(await registry.createEntity(ctx.writer, "person", { data }));
        return { ...ctx, made };
      }
      const names = (page: { items: { data: Record<string, unknown> }[] }) =>
        page.items.map((i) => i.data.name);

      it("filters on equality, ranges, in and prefix, ANDed", async () => {
        const { reader } = await people();
        const s = (filter: object) => registry.search(reader, "person", filter).then(names);
        expect(await s({ where: { address: "test address" } })).toEqual(
          expect.arrayContaining(["Ada", "Grace"]),
        );
        expect(await s({ where: { address: "test address" } })).toHaveLength(2);
        const exact = await registry.search(reader, "person", {
          where: { address: "test address" },
          limit: 2,
        });
        expect([exact.items.length, exact.nextCursor]).toEqual([2, undefined]);
        const mid = await s({
          conditions: [
            { field: "age", op: "gte", value: 36 },
            { field: "age", op: "lt", value: 85 },
          ],
        });
        expect(mid.slice(0, 2).sort()).toEqual(["Ada", "Bob"]);
        expect(mid[2]).toBe("Alan");
        expect(await s({ conditions: [{ field: "score", op: "lte", value: 0 }] })).toEqual(["Alan", "Alice"]);
        expect(await s({ conditions: [{ field: "score", op: "gt", value: 0 }] })).toEqual(["Grace", "Ada"]);
        expect(
          (await s({ conditions: [{ field: "level", op: "in", value: ["lead", "junior"] }] })).sort(),
        ).toEqual(["Ada", "Alice", "Bob", "Grace"]);
        expect((await s({ conditions: [{ field: "name", op: "prefix", value: "Al" }] })).sort()).toEqual([
          "Alan",
          "Alice",
        ]);
        expect(
          await s({ where: { level: "lead" }, conditions: [{ field: "age", op: "gt", value: 50 }] }),
        ).toEqual(["Grace"]);
        expect(await s({ where: { active: false } })).toEqual(["Alan"]);
        expect(await s({ where: { born: "1815-12-10" } })).toEqual(["Ada"]);
      });

      it("finds by ids and refuses a filter on a field that is not indexed", async () => {
        const { reader, made } = await people();
        const page = await registry.search(reader, "person", { ids: [made[1]!.id, made[3]!.id, "missing"] });
        expect(page.items.map((i) => i.id).sort()).toEqual([made[1]!.id, made[3]!.id].sort());
        const error = await rejection(registry.search(reader, "person", { where: { notes: "x" } }));
        expect(error).toMatchObject({ code: RegistryErrorCode.unindexedFilter });
      });

      it("pages with an opaque cursor in a stable order, each match once (property)", async () => {
        const { reader, made } = await people();
        const filters: SearchFilter[] = [
          {},
          { conditions: [{ field: "age", op: "gte", value: 0 }] },
          { where: { level: ["junior", "lead"] } },
        ];
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 6 }),
            fc.constantFrom(...filters),
            async (limit, filter) => {
              const all = await registry.search(reader, "person", { ...filter, limit: 1000 });
              const seen: string[] = [];
              let cursor: string | undefined;
              do {
                const page: { items: { id: string }[]; nextCursor?: string } = await registry.search(
                  reader,
                  "person",
                  {
                    ...filter,
                    limit,
                    cursor,
                  },
                );
                expect(page.items.length).toBeLessThanOrEqual(limit);
                seen.push(...page.items.map((i) => i.id));
                cursor = page.nextCursor;
              } while (cursor);
              expect(seen).toEqual(all.items.map((i) => i.id));
              expect(new Set(seen).size).toBe(seen.length);
            },
          ),
          { numRuns: runs },
        );
        expect(made).toHaveLength(5);
      });

      it("pages a hub's links in both directions, each linked entity once", async () => {
        const { writer } = await setup();
        const hub = await registry.createEntity(writer, "employee", { data: { name: "hub" } });
        const made: string[] = [];
        for (let i = 0; i < 24; i++) {
          const e = await registry.createEntity(writer, "employee", {
            data: { name: `e${i}`, ...(i % 3 !== 0 && { manager: hub.id }) },
          });
          made.push(e.id);
        }
        const mentors = made.filter((_, i) => i % 2 === 0);
        await registry.updateEntity(writer, "employee", hub.id, { data: { mentors } });
        const expected = made.filter((_, i) => i % 3 !== 0 || i % 2 === 0).sort();
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page: { items: { id: string }[]; nextCursor?: string } = await registry.search(
            writer,
            "employee",
            {
              links: [hub.id],
              limit: 5,
              cursor,
            },
          );
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(expected);
      });

      it("refuses a cursor from another search", async () => {
        const { reader } = await people();
        const page = await registry.search(reader, "person", { limit: 1 });
        const error = await rejection(
          registry.search(reader, "person", { where: { age: 36 }, cursor: page.nextCursor }),
        );
        expect(error).toMatchObject({ code: RegistryErrorCode.invalidCursor });
      });
    });

    describe("bulk", () => {
      const text = (s: string) => new Blob([s]).stream();
      const csv = [
        "email,name,grade,manager,mentors",
        "ann@x.io,Ann,a,,",
        'bob@x.io,"Bob, Jr.",b,cat@x.io,ann@x.io;cat@x.io',
        "cat@x.io,Cat,a,ann@x.io,",
      ].join("\n");

      it("imports CSV all-or-nothing, linking rows to earlier and later rows by the upsert field", async () => {
        const { writer } = await setup();
        const report = await registry.importEntities(writer, "employee", text(csv), {
          format: "csv",
          upsertOn: "email",
        });
        expect(report).toMatchObject({ rows: 3, created: 3, failed: 0, committed: true, errors: [] });
        const all = await registry.search(writer, "employee", { limit: 10 });
        const byEmail = new Map(all.items.map((e) => [e.data.email, e]));
        expect(byEmail.get("bob@x.io")!.data.name).toBe("Bob, Jr.");
        expect(byEmail.get("bob@x.io")!.data.manager).toBe(byEmail.get("cat@x.io")!.id);
        expect([...(byEmail.get("bob@x.io")!.data.mentors as string[])].sort()).toEqual(
          [byEmail.get("ann@x.io")!.id, byEmail.get("cat@x.io")!.id].sort(),
        );
        const ann = await registry.getEntity(writer, "employee", byEmail.get("ann@x.io")!.id);
        expect(ann.inverse?.reports).toEqual([{ id: byEmail.get("cat@x.io")!.id, type: "employee" }]);
      });

      it("reports every bad row with its number and field and writes nothing when all-or-nothing", async () => {
        const { writer } = await setup();
        const bad = `${csv}\nnot-an-email,Dan,a,,\neve@x.io,,a,,\nfay@x.io,Fay,a,nobody@x.io,`;
        const report = await registry.importEntities(writer, "employee", text(bad), {
          format: "csv",
          upsertOn: "email",
        });
        expect(report.committed).toBe(false);
        expect(report.created).toBe(0);
        expect(report.errors).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ row: 4, field: "email" }),
            expect.objectContaining({ row: 5, field: "name" }),
            expect.objectContaining({ row: 6, field: "manager" }),
          ]),
        );
        expect((await registry.search(writer, "employee")).items).toEqual([]);
      });

      it("keeps good rows in best-effort mode and writes nothing on a dry run", async () => {
        const { writer } = await setup();
        const rows =
          '{"email":"a@x.io","name":"A"}\n{"email":"b@x.io"}\n{"email":"c@x.io","name":"C","extra":1}\n';
        const dry = await registry.importEntities(writer, "employee", text(rows), {
          format: "ndjson",
          dryRun: true,
        });
        expect(dry).toMatchObject({ rows: 3, created: 1, failed: 2, committed: false });
        expect((await registry.search(writer, "employee")).items).toEqual([]);
        const report = await registry.importEntities(writer, "employee", text(rows), {
          format: "ndjson",
          mode: "best-effort",
        });
        expect(report).toMatchObject({ rows: 3, created: 1, failed: 2, committed: true });
        expect(report.errors.map((e) => [e.row, e.field])).toEqual([
          [2, "name"],
          [3, "extra"],
        ]);
        expect((await registry.search(writer, "employee")).items.map((e) => e.data.name)).toEqual(["A"]);
      });

      it("upserts on a unique field from a JSON array", async () => {
        const { writer } = await setup();
        await registry.importEntities(writer, "employee", text(csv), { format: "csv", upsertOn: "email" });
        const rows = JSON.stringify([
          { email: "ann@x.io", name: "Ann B", grade: "c" },
          { email: "dan@x.io", name: "Dan" },
        ]);
        const report = await registry.importEntities(writer, "employee", text(rows), {
          format: "json",
          upsertOn: "email",
        });
        expect(report).toMatchObject({ created: 1, updated: 1, failed: 0 });
        const found = await registry.search(writer, "employee", { where: { grade: "c" } });
        expect(found.items.map((e) => [e.data.name, e.version])).toEqual([["Ann B", 2]]);
        expect((await registry.search(writer, "employee", { limit: 100 })).items).toHaveLength(4);
      });

      it("exports a type or a search as CSV that imports back, and as NDJSON", async () => {
        const { writer, other } = await setup();
        await registry.importEntities(writer, "employee", text(csv), { format: "csv", upsertOn: "email" });
        const body = await new Response(
          await exportEntities(registry, writer, "employee", {
            format: "csv",
            filter: { where: { grade: "a" } },
          }),
        ).text();
        const lines = body.trim().split("\r\n");
        expect(lines[0]).toBe("id,email,name,grade,manager,mentors");
        expect(lines).toHaveLength(3);
        const ndjson = await new Response(
          await exportEntities(registry, writer, "employee", { format: "ndjson" }),
        ).text();
        const entities = ndjson
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l));
        expect(entities.map((e) => e.data.email).sort()).toEqual(["ann@x.io", "bob@x.io", "cat@x.io"]);
        const copy = await setup();
        const csvAll = await new Response(
          await exportEntities(registry, writer, "employee", { format: "csv" }),
        ).text();
        const again = await registry.importEntities(copy.writer, "employee", text(csvAll), {
          format: "csv",
        });
        expect(again.errors).toEqual([]);
        expect(again).toMatchObject({ created: 3, failed: 0 });
        expect(other.organisation).toBe(writer.organisation);
      });
    });

    describe("type migrations", () => {
      it("backfills an added field's default and converts a changed field type", async () => {
        const { admin, writer } = await setup();
        const migrations = registry.migrations;
        for (const grade of ["1", "2", "x", "4", "5"]) {
          await registry.createEntity(writer, "employee", { data: { name: `n${grade}`, grade } });
        }
        const type = await registry.getType(admin, "employee");
        const fields = [
          ...type.fields.map((f) => (f.name === "grade" ? { ...f, type: "integer" as const } : f)),
          { name: "team", type: "string" as const, default: "core", indexed: true },
        ];
        const dry = await migrations.dryRun(admin, "employee", { fields });
        const dryDone = await migrations.wait(admin, dry.id);
        expect(dryDone).toMatchObject({ status: "completed", dryRun: true, processed: 5, failed: 1 });
        expect(dryDone.failures.map((f) => f.issues[0]?.path)).toEqual([["data", "grade"]]);
        expect((await registry.getType(admin, "employee")).version).toBe(1);

        const { job } = await registry.changeType(admin, "employee", { fields }, { expectedVersion: 1 });
        const done = await migrations.wait(admin, job!.id);
        expect(done).toMatchObject({ status: "completed", processed: 5, migrated: 4, failed: 1 });
        const found = await registry.search(writer, "employee", {
          where: { team: "core" },
          conditions: [{ field: "grade", op: "gte", value: 2 }],
        });
        expect(found.items.map((e) => e.data.grade).sort()).toEqual([2, 4, 5]);
        expect((await migrations.get(writer, job!.id)).cursor).not.toBeNull();
      });
    });

    serviceBehaviourTests({ registry: () => registry, store: () => store, setup, it });
    options.additionalTests?.({ store: () => store });

    describe("events", () => {
      it("publishes EntityChanged and EntityTypeChanged", async () => {
        const { writer, org } = await setup();
        const e = await registry.createEntity(writer, "company", { data: { name: "Evented" } });
        await registry.deleteEntity(writer, "company", e.id);
        const mine = events.events.filter((ev) => ev.detail.organisation === org);
        expect(mine.filter((ev) => ev.type === "EntityTypeChanged").map((ev) => ev.detail.change)).toEqual([
          "created",
          "created",
          "created",
          "created",
        ]);
        expect(
          mine.flatMap((ev) => (ev.type === "EntityChanged" ? [`${ev.detail.change}:${ev.detail.id}`] : [])),
        ).toEqual([`created:${e.id}`, `deleted:${e.id}`]);
      });
    });
  });
}
