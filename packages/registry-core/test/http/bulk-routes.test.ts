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

/** Uploads, follows the 202's Location until the job stops, and returns the final report. */
async function uploaded(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const response = await send("POST", path, body, headers);
  expect(response.status).toBe(202);
  const location = response.headers.get("location")!;
  let job = await response.json();
  expect(location).toBe(`/entity/employee/imports/${job.id}`);
  for (let i = 0; job.status === "running" && i < 200; i++) {
    await new Promise((r) => setTimeout(r, 10));
    job = await (await send("GET", location)).json();
  }
  return job;
}

describe("upload and download over HTTP", () => {
  it("uploads CSV with upsert and in-file links, then downloads CSV and NDJSON streams", async () => {
    const report = await uploaded("/entity/employee/upload?upsertOn=email", csv, {
      "content-type": "text/csv",
    });
    expect(report).toMatchObject({ status: "completed", rows: 2, created: 2, failed: 0, committed: true });

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

  it("reports each bad row of a failed all-or-nothing upload job, writing nothing", async () => {
    const body = '[{"email":"ok@x.io","name":"Ok"},{"email":"bad","name":"Bad"}]';
    const report = await uploaded("/entity/employee/upload", body, { "content-type": "application/json" });
    expect(report).toMatchObject({ status: "failed", committed: false });
    expect(report.errors).toEqual([expect.objectContaining({ row: 2, field: "email" })]);
    const list = await (await send("GET", "/entity/employee/")).json();
    expect(list.items).toEqual([]);
  });

  it("keeps good rows with best-effort and answers a small dry run at once (422 when rows fail)", async () => {
    const body = '{"email":"ok@x.io","name":"Ok"}\n{"email":"bad","name":"Bad"}\n';
    const dry = await send("POST", "/entity/employee/upload?format=ndjson&dryRun=true", body);
    expect(dry.status).toBe(422);
    expect(await dry.json()).toMatchObject({ dryRun: true, created: 1, failed: 1 });
    const best = await uploaded("/entity/employee/upload?format=ndjson&mode=best-effort", body);
    expect(best).toMatchObject({ status: "completed", committed: true, created: 1, failed: 1 });
    const list = await (await send("GET", "/entity/employee/")).json();
    expect(list.items.map((e: { data: { name: string } }) => e.data.name)).toEqual(["Ok"]);
  });

  it("refuses an upload over the size limit with 413 before writing a row, by declared length and while streaming", async () => {
    const big = `email,name\n${Array.from({ length: 2000 }, (_, i) => `x${i}@x.io,X`).join("\n")}\n`;
    const declared = await send("POST", "/entity/employee/upload?format=csv", big, {
      "content-length": String(big.length),
    });
    expect(declared.status).toBe(413);
    const encoder = new TextEncoder();
    const lines = big.split(/(?<=\n)/);
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        const line = lines.shift();
        if (line === undefined) controller.close();
        else controller.enqueue(encoder.encode(line));
      },
    });
    const streamed = await handler(
      new Request("http://registry.test/entity/employee/upload?format=csv", {
        method: "POST",
        body: chunked,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect((await (await send("GET", "/entity/employee/")).json()).items).toEqual([]);
  });

  it("answers an empty upload with 400", async () => {
    const response = await send("POST", "/entity/employee/upload?format=csv", "");
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("VALIDATION_FAILED");
  });
});

describe("type edits over HTTP", () => {
  it("merges a PATCH by field, and removes a field only with remove and If-Match (428 without, 412 stale)", async () => {
    const admin = { "x-actor": "admin", "content-type": "application/json" };
    const patched = await send(
      "PATCH",
      "/entityType/employee/",
      JSON.stringify({ fields: [{ name: "grade", type: "string", indexed: true, description: "band" }] }),
      admin,
    );
    expect(patched.status).toBe(200);
    const type = await patched.json();
    expect(type.fields.map((f: { name: string }) => f.name)).toEqual([
      "email",
      "name",
      "grade",
      "manager",
      "mentors",
    ]);
    expect(patched.headers.get("etag")).toBe('"2"');
    const remove = JSON.stringify({ remove: ["grade"] });
    expect((await send("PATCH", "/entityType/employee/", remove, admin)).status).toBe(428);
    expect(
      (await send("PATCH", "/entityType/employee/", remove, { ...admin, "if-match": '"1"' })).status,
    ).toBe(412);
    const removed = await send("PATCH", "/entityType/employee/", remove, { ...admin, "if-match": '"2"' });
    expect(removed.status).toBe(200);
    expect((await removed.json()).removed).toEqual([expect.objectContaining({ name: "grade" })]);
    const put = JSON.stringify({ fields: [{ name: "name", type: "string", required: true }] });
    expect((await send("PUT", "/entityType/employee/", put, admin)).status).toBe(428);
  });
});

describe("type migrations over HTTP", () => {
  it("dry-runs a change, applies it with If-Match and reports the job's progress", async () => {
    await uploaded("/entity/employee/upload?format=csv", "email,name,grade\na@x.io,A,1\nb@x.io,B,two\n");
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
        "content-type": "application/json",
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
      "content-type": "application/json",
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
