import { createMemoryRegistryStore, createRegistryService } from "@portside/registry-core";
import { createRegistryHttpHandler } from "@portside/registry-core/http";
import { actors, employeeType } from "@portside/registry-core/testing";
import { beforeEach, describe, expect, it } from "vitest";

const { admin, writer } = actors("acme");
let handler: (request: Request) => Promise<Response>;

beforeEach(async () => {
  const service = createRegistryService({ store: createMemoryRegistryStore() });
  await service.createType(admin, employeeType);
  handler = createRegistryHttpHandler({
    service,
    authenticate: (request) => (request.headers.get("x-actor") === "admin" ? admin : writer),
    maxUploadBytes: 10_000,
  });
});

const send = (method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) =>
  handler(
    new Request(`http://registry.test${path}`, { method, headers, ...(body !== undefined && { body }) }),
  );

const csv = "email,name,grade,manager\nann@x.io,Ann,a,\nbob@x.io,Bob,b,ann@x.io\n";

describe("upload and download over HTTP", () => {
  it("uploads CSV with upsert and in-file links, then downloads CSV and NDJSON streams", async () => {
    const upload = await send("POST", "/entity/employee/upload?upsertOn=email", csv, {
      "content-type": "text/csv",
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({ rows: 2, created: 2, failed: 0, committed: true });

    const download = await send("GET", "/entity/employee/download?format=csv");
    expect(download.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await download.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,email,name,grade,manager,mentors");
    expect(lines).toHaveLength(3);

    const filtered = await send(
      "GET",
      `/entity/employee/download?format=ndjson&fields=${encodeURIComponent('grade="b"')}`,
    );
    const rows = (await filtered.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.data.name)).toEqual(["Bob"]);
    expect(rows[0].data.manager).toMatch(/[0-9a-f-]{36}/);
  });

  it("answers a failed all-or-nothing upload with 422 and its per-row report, writing nothing", async () => {
    const body = '[{"email":"ok@x.io","name":"Ok"},{"email":"bad","name":"Bad"}]';
    const response = await send("POST", "/entity/employee/upload", body, {
      "content-type": "application/json",
    });
    expect(response.status).toBe(422);
    const report = await response.json();
    expect(report.errors).toEqual([expect.objectContaining({ row: 2, field: "email" })]);
    const list = await (await send("GET", "/entity/employee/")).json();
    expect(list.items).toEqual([]);
  });

  it("keeps good rows with best-effort (207) and writes nothing on a dry run (200)", async () => {
    const body = '{"email":"ok@x.io","name":"Ok"}\n{"email":"bad","name":"Bad"}\n';
    const dry = await send("POST", "/entity/employee/upload?format=ndjson&dryRun=true", body);
    expect(dry.status).toBe(422);
    expect(await dry.json()).toMatchObject({ dryRun: true, created: 1, failed: 1 });
    const best = await send("POST", "/entity/employee/upload?format=ndjson&mode=best-effort", body);
    expect(best.status).toBe(207);
    const list = await (await send("GET", "/entity/employee/")).json();
    expect(list.items.map((e: { data: { name: string } }) => e.data.name)).toEqual(["Ok"]);
  });

  it("refuses an upload over the size limit with 413", async () => {
    const big = `email,name\n${"x@x.io,X\n".repeat(2000)}`;
    const response = await send("POST", "/entity/employee/upload?format=csv", big);
    expect(response.status).toBe(413);
  });
});

describe("type migrations over HTTP", () => {
  it("dry-runs a change, applies it with If-Match and reports the job's progress", async () => {
    await send("POST", "/entity/employee/upload?format=csv", "email,name,grade\na@x.io,A,1\nb@x.io,B,two\n");
    const type = await (await send("GET", "/entityType/employee/")).json();
    const fields = type.fields.map((f: { name: string }) =>
      f.name === "grade" ? { ...f, type: "integer" } : f,
    );

    const dry = await send(
      "POST",
      "/entityType/employee/migrations",
      JSON.stringify({ dryRun: true, fields }),
      {
        "x-actor": "admin",
      },
    );
    expect(dry.status).toBe(202);
    const dryJob = await dry.json();
    let progress = await (await send("GET", `/entityType/employee/migrations/${dryJob.id}/`)).json();
    for (let i = 0; progress.status === "running" && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      progress = await (await send("GET", `/entityType/employee/migrations/${dryJob.id}/`)).json();
    }
    expect(progress).toMatchObject({ status: "completed", dryRun: true, processed: 2, failed: 1 });

    const applied = await send("PATCH", "/entityType/employee/", JSON.stringify({ fields }), {
      "x-actor": "admin",
      "if-match": '"1"',
    });
    expect(applied.status).toBe(200);
    const body = await applied.json();
    expect(body).toMatchObject({ version: 2, migrationRequired: true });
    let job = body.migration;
    for (let i = 0; job.status === "running" && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = await (await send("GET", `/entityType/employee/migrations/${job.id}/`)).json();
    }
    expect(job).toMatchObject({ status: "completed", migrated: 1, failed: 1 });
    const search = await (
      await send("GET", `/entity/employee/search/?fields=${encodeURIComponent("grade>=1")}`)
    ).json();
    expect(search.items.map((e: { data: { grade: number } }) => e.data.grade)).toEqual([1]);
  });
});
