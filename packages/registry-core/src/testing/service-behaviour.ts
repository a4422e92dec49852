import { describe, expect } from "vitest";
import { exportEntities } from "../bulk/export.js";
import {
  ConflictError,
  PreconditionFailedError,
  PreconditionRequiredError,
  RegistryErrorCode,
  StoreLimitError,
  ValidationError,
} from "../errors.js";
import type { Actor } from "../model/actor.js";
import { createRegistryService, type RegistryService } from "../service/registry-service.js";
import type { RegistryStore } from "../store/registry-store.js";
import { rejection, type TestFn } from "./conformance-options.js";

interface Setup {
  org: string;
  admin: Actor;
  writer: Actor;
  other: Actor;
  reader: Actor;
}

interface Context {
  registry(): RegistryService;
  store(): RegistryStore;
  setup(): Promise<Setup>;
  it: TestFn;
}

const encoder = new TextEncoder();

/** An upload that stops after `rows` until `release` is called, then sends the rest. */
function gatedUpload(head: string[], tail: string[]) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const line of head) yield encoder.encode(`${line}\n`);
    await gate;
    for (const line of tail) yield encoder.encode(`${line}\n`);
  }
  return { source: source(), release };
}

/** An upload sent line by line, as a network stream would arrive. */
async function* text(body: string): AsyncGenerator<Uint8Array> {
  for (const line of body.split(/(?<=\n)/)) if (line) yield encoder.encode(line);
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const row = (email: string, name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ email, name, ...extra });

/** The guarantees of issue #16, on every store: imports as jobs, safe type edits, one behaviour. */
export function serviceBehaviourTests({ registry, store, setup, it }: Context): void {
  const small = (staleAfterMs = 0) =>
    createRegistryService({ store: store(), imports: { maxItemsPerCommit: 6, staleAfterMs } });
  const countOf = async (actor: Actor, type: string) =>
    (await registry().search(actor, type, { limit: 1000 })).items.length;

  describe("imports as jobs", () => {
    it("runs an import as a job whose progress is readable and whose report lists each bad row", async () => {
      const { writer } = await setup();
      const jobs = small();
      const upload = gatedUpload(
        Array.from({ length: 8 }, (_, i) => row(`p${i}@x.io`, `P${i}`)),
        [row("bad", "Bad"), row("last@x.io", "Last")],
      );
      const started = await jobs.startImport(writer, "employee", upload.source, {
        format: "ndjson",
        mode: "best-effort",
      });
      expect(started.status).toBe("running");
      const midway = await until(
        () => jobs.getImport(writer, started.id),
        (j) => j.created > 0,
        "progress",
      );
      expect(midway.status).toBe("running");
      upload.release();
      const done = await jobs.waitForImport(writer, started.id);
      expect(done).toMatchObject({ status: "completed", rows: 10, created: 9, failed: 1, committed: true });
      expect(done.errors).toEqual([expect.objectContaining({ row: 9, field: "email" })]);
      expect(await jobs.getImport(writer, started.id)).toMatchObject({ status: "completed", created: 9 });
    });

    it("refuses an empty upload", async () => {
      const { writer } = await setup();
      const error = await rejection(
        registry()
          .importEntities(writer, "employee", text(""), { format: "ndjson" })
          .then((r) => (r.stoppedBy ? Promise.reject(r.stoppedBy) : r)),
      );
      expect(error).toMatchObject({ code: RegistryErrorCode.validation });
      expect(await countOf(writer, "employee")).toBe(0);
    });

    it("leaves the store as it found it when an all-or-nothing upload goes over its size limit", async () => {
      const { writer } = await setup();
      await registry().createEntity(writer, "employee", {
        data: { email: "kept@x.io", name: "Kept", grade: "a" },
      });
      const lines = Array.from({ length: 60 }, (_, i) => row(`big${i}@x.io`, `Big ${"x".repeat(40)} ${i}`));
      const upsert = row("kept@x.io", "Changed by the import");
      const report = await small().importEntities(
        writer,
        "employee",
        text(`${upsert}\n${lines.join("\n")}\n`),
        {
          format: "ndjson",
          upsertOn: "email",
          maxBytes: 2000,
        },
      );
      expect(report).toMatchObject({ status: "failed", committed: false, created: 0, updated: 0 });
      expect(report.stoppedBy?.code).toBe(RegistryErrorCode.payloadTooLarge);
      const left = await registry().search(writer, "employee", { limit: 1000 });
      expect(left.items.map((e) => e.data.name)).toEqual(["Kept"]);
    });

    it("never rolls back a row someone changed after the import wrote it, and lists it", async () => {
      const { writer, other } = await setup();
      const jobs = small();
      const upload = gatedUpload(
        Array.from({ length: 8 }, (_, i) => row(`r${i}@x.io`, `R${i}`)),
        [row("broken", "Broken")],
      );
      const started = await jobs.startImport(writer, "employee", upload.source, {
        format: "ndjson",
        upsertOn: "email",
      });
      await until(
        () => jobs.getImport(writer, started.id),
        (j) => j.created >= 2,
        "a committed batch",
      );
      const written = (await registry().search(writer, "employee", { limit: 1000 })).items;
      const touched = written.find((e) => e.data.email === "r0@x.io")!;
      const patched = await registry().updateEntity(
        writer,
        "employee",
        touched.id,
        { data: { grade: "kept" } },
        touched.version,
      );
      upload.release();
      const done = await jobs.waitForImport(writer, started.id);
      expect(done).toMatchObject({ status: "failed", committed: false });
      expect(done.notRolledBack).toEqual([{ id: touched.id, row: 1, version: patched.version }]);
      const left = (await registry().search(other, "employee", { limit: 1000 })).items;
      expect(left.map((e) => [e.id, e.data.grade])).toEqual([[touched.id, "kept"]]);
    });

    it("restores the entities an all-or-nothing import updated when it fails", async () => {
      const { writer } = await setup();
      const before = await registry().createEntity(writer, "employee", {
        data: { email: "u@x.io", name: "U", grade: "a" },
      });
      const report = await registry().importEntities(
        writer,
        "employee",
        text(`${row("u@x.io", "U2", { grade: "b" })}\n${row("bad", "x")}\n`),
        { format: "ndjson", upsertOn: "email" },
      );
      expect(report).toMatchObject({ status: "failed", committed: false, notRolledBack: [] });
      const now = await registry().getEntity(writer, "employee", before.id);
      expect(now.data).toEqual(before.data);
    });

    it("cancels a running all-or-nothing import and undoes what it wrote", async () => {
      const { writer } = await setup();
      const jobs = small();
      const upload = gatedUpload(
        Array.from({ length: 8 }, (_, i) => row(`c${i}@x.io`, `C${i}`)),
        Array.from({ length: 8 }, (_, i) => row(`d${i}@x.io`, `D${i}`)),
      );
      const started = await jobs.startImport(writer, "employee", upload.source, { format: "ndjson" });
      await until(
        () => jobs.getImport(writer, started.id),
        (j) => j.created > 0,
        "a committed batch",
      );
      await jobs.cancelImport(writer, started.id);
      upload.release();
      const done = await jobs.waitForImport(writer, started.id);
      expect(done).toMatchObject({ status: "cancelled", committed: false, created: 0 });
      expect(await countOf(writer, "employee")).toBe(0);
    });

    it("resumes an import a crash interrupted, writing each row once", async () => {
      const { writer } = await setup();
      const lines = Array.from({ length: 14 }, (_, i) => row(`z${i}@x.io`, `Z${i}`));
      const crashed = small();
      const upload = gatedUpload(lines.slice(0, 9), lines.slice(9));
      const started = await crashed.startImport(writer, "employee", upload.source, {
        format: "ndjson",
        upsertOn: "email",
      });
      // Rows 1-8 are committed in pairs, then the upload stalls: the job's process is as good as gone.
      const interrupted = await until(
        () => crashed.getImport(writer, started.id),
        (j) => j.rowsDone >= 8,
        "progress",
      );
      // The process running it is gone (its upload never resumes); another one picks the job up.
      const restarted = small();
      await restarted.resumeImport(writer, started.id, text(`${lines.join("\n")}\n`));
      const done = await restarted.waitForImport(writer, started.id);
      expect(interrupted.rowsDone).toBeLessThan(14);
      expect(done).toMatchObject({ status: "completed", committed: true, rows: 14, failed: 0 });
      const names = (await registry().search(writer, "employee", { limit: 1000 })).items.map(
        (e) => e.data.name,
      );
      expect(names.sort()).toEqual(lines.map((l) => JSON.parse(l).name).sort());
    });
  });

  describe("import leases", () => {
    it("refuses to resume an import whose record is still moving (its process is alive)", async () => {
      const { writer } = await setup();
      const live = small(60_000);
      const upload = gatedUpload([row("l1@x.io", "L1")], [row("l2@x.io", "L2")]);
      const started = await live.startImport(writer, "employee", upload.source, { format: "ndjson" });
      const error = await rejection(small(60_000).resumeImport(writer, started.id, text("")));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ details: { jobId: started.id } });
      upload.release();
      expect(await live.waitForImport(writer, started.id)).toMatchObject({ status: "completed", created: 2 });
    });
  });

  describe("type edits that cannot lose data", () => {
    it("merges a partial field list by id or name and keeps the other fields' data", async () => {
      const { admin, writer } = await setup();
      const e = await registry().createEntity(writer, "company", {
        data: { name: "Acme", country: "NL", founded: 1900 },
      });
      const { type } = await registry().changeType(admin, "company", {
        fields: [{ name: "country", type: "string", indexed: true, description: "ISO code" }],
      });
      expect(type.fields.map((f) => f.name)).toEqual(["name", "country", "founded"]);
      expect(type.fields.find((f) => f.name === "country")?.description).toBe("ISO code");
      expect((await registry().getEntity(writer, "company", e.id)).data).toEqual({
        name: "Acme",
        country: "NL",
        founded: 1900,
      });
    });

    it("removes a field only when asked by name with the current version, counting the entities that held data", async () => {
      const { admin, writer } = await setup();
      await registry().createEntity(writer, "company", { data: { name: "A", country: "NL" } });
      await registry().createEntity(writer, "company", { data: { name: "B", country: "FR" } });
      await registry().createEntity(writer, "company", { data: { name: "C" } });
      expect(
        await rejection(registry().changeType(admin, "company", { remove: ["country"] })),
      ).toBeInstanceOf(PreconditionRequiredError);
      expect(
        await rejection(
          registry().changeType(admin, "company", { remove: ["country"] }, { expectedVersion: 7 }),
        ),
      ).toBeInstanceOf(PreconditionFailedError);
      const { type, job, removed } = await registry().changeType(
        admin,
        "company",
        { remove: ["country"] },
        { expectedVersion: 1 },
      );
      expect(removed.map((r) => r.name)).toEqual(["country"]);
      expect(type.fields.map((f) => f.name)).toEqual(["name", "founded"]);
      const done = await registry().migrations.wait(admin, job!.id);
      expect(done.removedFields).toEqual([expect.objectContaining({ name: "country", entities: 2 })]);
    });

    it("replaces a whole definition only with the current version", async () => {
      const { admin } = await setup();
      const current = await registry().getType(admin, "company");
      const fields = current.fields.filter((f) => f.name !== "founded");
      const { removed } = await registry().replaceType(admin, "company", { fields }, current.version);
      expect(removed.map((r) => r.name)).toEqual(["founded"]);
      expect(
        await rejection(registry().replaceType(admin, "company", { fields }, current.version)),
      ).toBeInstanceOf(PreconditionFailedError);
    });
  });

  describe("migrations", () => {
    it("yields to other work between slices and shows progress per slice", async () => {
      const { admin, writer } = await setup();
      for (let i = 0; i < 12; i++)
        await registry().createEntity(writer, "company", { data: { name: `m${i}`, founded: i } });
      const type = await registry().getType(admin, "company");
      const fields = type.fields.map((f) => (f.name === "founded" ? { ...f, type: "string" as const } : f));
      const { job } = await registry().changeType(admin, "company", { fields });
      // Each poll waits for the event loop's next turn: it only sees progress between slices if the job yields.
      const seen = new Set<number>();
      for (;;) {
        await new Promise((r) => setImmediate(r));
        const now = await registry().migrations.get(admin, job!.id);
        if (now.status !== "running") break;
        seen.add(now.processed);
      }
      expect(seen.size).toBeGreaterThan(1);
      expect((await registry().migrations.get(admin, job!.id)).processed).toBe(12);
    });
  });

  describe("one behaviour on every store", () => {
    it("refuses an entity over the service's size limit, whatever the store", async () => {
      const { writer } = await setup();
      const error = await rejection(
        registry().createEntity(writer, "person", {
          data: { name: "Big", profile: { blob: "x".repeat(500 * 1024) } },
        }),
      );
      expect(error).toBeInstanceOf(StoreLimitError);
      expect(error).toMatchObject({ code: RegistryErrorCode.itemTooLarge });
    });

    it("retries blind writes that lose a race (last writer wins) and fails stale If-Match writes with PRECONDITION_FAILED", async () => {
      const { writer } = await setup();
      const e = await registry().createEntity(writer, "task", { data: { title: "race" } });
      const blind = await Promise.allSettled(
        Array.from({ length: 4 }, (_, i) =>
          registry().updateEntity(writer, "task", e.id, { data: { counter: i } }),
        ),
      );
      expect(blind.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      expect((await registry().getEntity(writer, "task", e.id)).version).toBe(5);
      const guarded = await Promise.allSettled(
        Array.from({ length: 4 }, (_, i) =>
          registry().updateEntity(writer, "task", e.id, { data: { counter: i } }, 5),
        ),
      );
      expect(guarded.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of guarded)
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(PreconditionFailedError);
    });

    it("names the field of a unique clash, also between concurrent writers", async () => {
      const { writer } = await setup();
      await registry().createEntity(writer, "company", { data: { name: "Taken" } });
      const error = await rejection(registry().createEntity(writer, "company", { data: { name: "Taken" } }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ details: { field: "name" } });
      const racing = await Promise.allSettled(
        Array.from({ length: 3 }, () =>
          registry().createEntity(writer, "company", { data: { name: "Raced" } }),
        ),
      );
      for (const r of racing)
        if (r.status === "rejected") expect(r.reason).toMatchObject({ details: { field: "name" } });
      expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("refuses __proto__, constructor and prototype in data like any unknown field", async () => {
      const { writer } = await setup();
      for (const key of ["__proto__", "constructor", "prototype"]) {
        const data = JSON.parse(`{"name":"x","${key}":{"polluted":true}}`);
        const error = (await rejection(
          registry().createEntity(writer, "company", { data }),
        )) as ValidationError;
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.issues).toContainEqual({ path: ["data", key], message: "unknown field" });
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("keeps a multi-link's order across export and re-import", async () => {
      const { writer } = await setup();
      const make = (name: string, id: string) =>
        registry().createEntity(writer, "employee", { id, data: { name } });
      const [c, a, b] = [await make("c", "id-c"), await make("a", "id-a"), await make("b", "id-b")];
      const hub = await registry().createEntity(writer, "employee", {
        id: "id-0",
        data: { name: "hub", mentors: [c.id, a.id, b.id] },
      });
      const csv = await new Response(
        await exportEntities(registry(), writer, "employee", { format: "csv" }),
      ).text();
      const copy = await setup();
      const report = await registry().importEntities(copy.writer, "employee", text(csv), { format: "csv" });
      expect(report).toMatchObject({ status: "completed", failed: 0 });
      expect((await registry().getEntity(copy.writer, "employee", hub.id)).data.mentors).toEqual([
        "id-c",
        "id-a",
        "id-b",
      ]);
    });

    it("escapes formula-leading CSV cells on export and restores them on import", async () => {
      const { writer } = await setup();
      const risky = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"];
      for (const [i, name] of risky.entries())
        await registry().createEntity(writer, "employee", { id: `f${i}`, data: { name } });
      const csv = await new Response(
        await exportEntities(registry(), writer, "employee", { format: "csv" }),
      ).text();
      for (const cell of [`"'=HYPERLINK(""http://x"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx", `"'\rx"`]) {
        expect(csv).toContain(`,${cell},`);
      }
      const copy = await setup();
      await registry().importEntities(copy.writer, "employee", text(csv), { format: "csv" });
      const names = (await registry().search(copy.writer, "employee", { limit: 100 })).items.map(
        (e) => e.data.name,
      );
      expect(names.sort()).toEqual([...risky].sort());
    });

    it("turns an unexpected store failure into STORE_FAILURE without the store's words, cause kept", async () => {
      const { writer } = await setup();
      const failing: RegistryStore = Object.assign(Object.create(store()) as RegistryStore, {
        label: store().label,
        getType: async () => {
          throw new Error("<html>emulator internals</html>");
        },
      });
      const logged: unknown[] = [];
      const broken = createRegistryService({
        store: failing,
        logger: { error: (_m, c) => logged.push(c.error) },
      });
      const error = (await rejection(broken.getType(writer, "company"))) as Error;
      expect(error).toMatchObject({ code: RegistryErrorCode.store });
      expect(error.message).not.toContain("emulator");
      expect((error.cause as Error).message).toContain("emulator internals");
      expect(logged).toHaveLength(1);
    });
  });

  describe("search operators", () => {
    async function people() {
      const s = await setup();
      const add = (name: string, data: Record<string, unknown>) =>
        registry().createEntity(s.writer, "person", { data: { name, ...data } });
      await add("Ada Lovelace", { age: 36, level: "lead", notes: "Wrote the first PROGRAM" });
      await add("Alan Turing", { age: 41, level: "senior", notes: "codebreaker" });
      await add("Grace Hopper", { age: 85, level: "lead" });
      await add("Linus", { level: "junior", notes: "kernel programmer" });
      return s;
    }
    const names = (page: { items: { data: Record<string, unknown> }[] }) =>
      page.items.map((e) => e.data.name);

    it("filters with ne, nin, contains (any case), exists and an OR", async () => {
      const { reader } = await people();
      const find = (filter: Parameters<RegistryService["search"]>[2]) =>
        registry().search(reader, "person", filter);
      expect(names(await find({ conditions: [{ field: "level", op: "ne", value: "lead" }] })).sort()).toEqual(
        ["Alan Turing", "Linus"],
      );
      expect(
        names(await find({ conditions: [{ field: "level", op: "nin", value: ["lead", "junior"] }] })),
      ).toEqual(["Alan Turing"]);
      expect(
        names(
          await find({
            conditions: [
              { field: "level", op: "in", value: ["lead", "junior"] },
              { field: "notes", op: "contains", value: "program" },
            ],
          }),
        ).sort(),
      ).toEqual(["Ada Lovelace", "Linus"]);
      expect(names(await find({ conditions: [{ field: "age", op: "exists", value: true }] })).length).toBe(3);
      expect(
        names(
          await find({
            conditions: [
              { field: "level", op: "exists", value: true },
              { field: "age", op: "exists", value: false },
            ],
          }),
        ),
      ).toEqual(["Linus"]);
      expect(
        names(
          await find({
            anyOf: [[{ field: "age", op: "lt", value: 40 }], [{ field: "age", op: "gt", value: 80 }]],
          }),
        ),
      ).toEqual(["Ada Lovelace", "Grace Hopper"]);
      expect(
        names(
          await find({
            conditions: [{ field: "level", op: "exists", value: true }],
            anyOf: [
              [{ field: "age", op: "gt", value: 80 }],
              [{ field: "notes", op: "contains", value: "KERNEL" }],
            ],
          }),
        ).sort(),
      ).toEqual(["Grace Hopper", "Linus"]);
    });

    it("sorts by an indexed field both ways with stable cursors, and counts on request", async () => {
      const { reader } = await people();
      for (const direction of ["asc", "desc"] as const) {
        const seen: unknown[] = [];
        let cursor: string | undefined;
        let total: number | undefined;
        do {
          const page = await registry().search(reader, "person", {
            sort: { field: "age", direction },
            limit: 1,
            count: true,
            cursor,
          });
          seen.push(...names(page));
          total = page.total;
          cursor = page.nextCursor;
        } while (cursor);
        const ascending = ["Ada Lovelace", "Alan Turing", "Grace Hopper"];
        expect(seen).toEqual(direction === "asc" ? ascending : [...ascending].reverse());
        expect(total).toBe(3);
      }
    });

    it("refuses what no index can drive, naming the field, instead of scanning", async () => {
      const { reader } = await people();
      const alone = await rejection(
        registry().search(reader, "person", { conditions: [{ field: "notes", op: "contains", value: "x" }] }),
      );
      expect(alone).toMatchObject({ code: RegistryErrorCode.invalidQuery, details: { fields: ["notes"] } });
      const unindexedSort = await rejection(
        registry().search(reader, "person", { sort: { field: "notes" } }),
      );
      expect(unindexedSort).toMatchObject({
        code: RegistryErrorCode.unindexedFilter,
        details: { field: "notes" },
      });
    });
  });
}
