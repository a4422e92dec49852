import {
  createInProcessProfileDeps,
  createPublishableMemoryRepository,
  type InProcessProfileDeps,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { createProfileDepsHandler } from "@portside/profile-deps/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let deps: InProcessProfileDeps;
let handler: (request: Request) => Promise<Response>;

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const response = await handler(new Request(`http://portside.test${path}`, init));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
};

beforeEach(() => {
  deps = createInProcessProfileDeps({
    repository: createPublishableMemoryRepository(sampleRepositoryDocument),
  });
  handler = createProfileDepsHandler({
    service: deps.service,
    repository: deps.repository,
    authenticate: (request) => {
      const user = request.headers.get("x-user");
      return user ? { id: user, roles: user === "reader" ? [] : ["writer"] } : null;
    },
  });
});
afterEach(() => deps.close());

const as = { "x-user": "alice" };

describe("profile-deps HTTP API", () => {
  it("creates a profile, then reports it valid with its packages", async () => {
    const created = await call(
      "POST",
      "/profiles",
      { name: "lighting", requests: ["maya-2024"], tags: ["show"] },
      as,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "lighting",
      revision: 1,
      status: "pending",
      createdBy: "alice",
    });
    await deps.idle();
    const read = await call("GET", "/profiles/lighting", undefined, as);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe("valid");
    expect(read.body.packages.map((p: { name: string }) => p.name)).toContain("maya");
  });

  it("answers 401 without credentials and records the caller as author", async () => {
    expect((await call("GET", "/profiles")).status).toBe(401);
    expect((await call("GET", "/profiles")).body.error.code).toBe("UNAUTHENTICATED");
  });

  it("names the bad request in a 400, and rejects malformed JSON", async () => {
    const bad = await call("POST", "/profiles", { name: "p", requests: ["maya-2024", "foo-1+<"] }, as);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_PROFILE");
    expect(bad.body.error.message).toContain("foo-1+<");
    expect(bad.body.error.details.issues[0].path).toEqual(["requests", 1]);
    const badName = await call("POST", "/profiles", { name: "Not A Slug", requests: [] }, as);
    expect(badName.body.error.details.issues[0].path).toEqual(["name"]);
    expect((await call("POST", "/profiles", "{nope", as)).body.error.code).toBe("INVALID_JSON");
  });

  it("updates optimistically: 409 on a stale body revision, 412 on a stale If-Match, 304 on a fresh If-None-Match", async () => {
    await call("POST", "/profiles", { name: "comp", requests: ["nuke-15"] }, as);
    const ok = await call("PUT", "/profiles/comp", { expectedRevision: 1, requests: ["nuke-14"] }, as);
    expect(ok.status).toBe(200);
    expect(ok.body.revision).toBe(2);
    const stale = await call("PUT", "/profiles/comp", { expectedRevision: 1, requests: ["nuke"] }, as);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: "PROFILE_REVISION_CONFLICT",
      details: { expectedRevision: 1, currentRevision: 2 },
    });
    const viaHeader = await call(
      "PUT",
      "/profiles/comp",
      { requests: ["nuke"] },
      { ...as, "if-match": (await call("GET", "/profiles/comp", undefined, as)).headers.get("etag")! },
    );
    expect(viaHeader.body.revision).toBe(3);
    expect(viaHeader.headers.get("etag")).toBe('"3"');
    const staleHeader = await call(
      "PUT",
      "/profiles/comp",
      { requests: ["nuke"] },
      { ...as, "if-match": '"2"' },
    );
    expect(staleHeader.status).toBe(412);
    expect(staleHeader.body.error).toMatchObject({
      code: "PRECONDITION_FAILED",
      details: { expectedRevision: 2, currentRevision: 3 },
    });
    expect((await call("DELETE", "/profiles/comp", undefined, { ...as, "if-match": '"1"' })).status).toBe(
      412,
    );
    expect((await call("GET", "/profiles/comp", undefined, { ...as, "if-none-match": '"3"' })).status).toBe(
      304,
    );
    expect((await call("DELETE", "/profiles/comp", undefined, { ...as, "if-match": '"3"' })).status).toBe(
      204,
    );
  });

  it("serves history, one revision, a diff and the lock", async () => {
    await call("POST", "/profiles", { name: "fx", requests: ["houdini-19", "numpy"] }, as);
    await call("PUT", "/profiles/fx", { expectedRevision: 1, requests: ["houdini-20", "usd"] }, as);
    await deps.idle();
    const history = await call("GET", "/profiles/fx/revisions?limit=1", undefined, as);
    expect(history.body.items.map((r: { revision: number }) => r.revision)).toEqual([1]);
    expect(history.body.nextCursor).toBeTypeOf("string");
    const next = await call(
      "GET",
      `/profiles/fx/revisions?limit=1&cursor=${history.body.nextCursor}`,
      undefined,
      as,
    );
    expect(next.body.items.map((r: { revision: number }) => r.revision)).toEqual([2]);
    expect((await call("GET", "/profiles/fx/revisions/1", undefined, as)).body.requests).toEqual([
      "houdini-19",
      "numpy",
    ]);
    expect((await call("GET", "/profiles/fx/revisions/9", undefined, as)).status).toBe(404);
    const diff = await call("GET", "/profiles/fx/diff?from=1&to=2", undefined, as);
    expect(diff.body.requests).toEqual({
      added: ["usd"],
      removed: ["numpy"],
      changed: [{ package: "houdini", kind: "require", from: "houdini-19", to: "houdini-20" }],
    });
    expect((await call("GET", "/profiles/fx/diff?from=1", undefined, as)).status).toBe(400);
    const lock = await call("GET", "/profiles/fx/lock", undefined, as);
    expect(lock.status).toBe(200);
    expect(lock.body.packages).toContain("houdini==20.0.547");
    expect(lock.body.resolvedAt).toBeTypeOf("string");
  });

  it("refuses a lock of a revision that is not valid", async () => {
    await call("POST", "/profiles", { name: "broken", requests: ["maya-2023", "houdini-20"] }, as);
    expect((await call("GET", "/profiles/broken/lock", undefined, as)).body.error.code).toBe(
      "PROFILE_NOT_VALID",
    );
    await deps.idle();
    const lock = await call("GET", "/profiles/broken/lock", undefined, as);
    expect(lock.status).toBe(409);
    expect(lock.body.error.details.status).toBe("invalid");
  });

  it("lists by tag and status, and refuses to delete a parent while children exist", async () => {
    await call("POST", "/profiles", { name: "base", requests: ["python-3.10"], tags: ["core"] }, as);
    await call(
      "POST",
      "/profiles",
      { name: "child", parent: "base", requests: ["numpy"], tags: ["core"] },
      as,
    );
    await call("POST", "/profiles", { name: "other", requests: ["nosuch"] }, as);
    await deps.idle();
    const core = await call("GET", "/profiles?tag=core", undefined, as);
    expect(core.body.items.map((p: { name: string }) => p.name)).toEqual(["base", "child"]);
    const errors = await call("GET", "/profiles?status=error", undefined, as);
    expect(errors.body.items.map((p: { name: string }) => p.name)).toEqual(["other"]);
    expect((await call("GET", "/profiles?status=bogus", undefined, as)).status).toBe(400);
    const refused = await call("DELETE", "/profiles/base", undefined, as);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.children).toEqual(["child"]);
    expect((await call("DELETE", "/profiles/child?expectedRevision=1", undefined, as)).status).toBe(204);
    expect((await call("DELETE", "/profiles/base", undefined, as)).status).toBe(204);
    expect((await call("GET", "/profiles/base", undefined, as)).status).toBe(404);
    const requeued = await call("POST", "/profiles/other/revalidate", undefined, as);
    expect(requeued.status).toBe(202);
    expect(requeued.body.status).toBe("pending");
    const effective = await call("GET", "/profiles/other/effective-request", undefined, as);
    expect(effective.body).toEqual({ request: ["nosuch"] });
  });

  it("reports an inheritance clash naming both requests", async () => {
    await call("POST", "/profiles", { name: "base", requests: ["python-3.10"] }, as);
    const clash = await call(
      "POST",
      "/profiles",
      { name: "old", parent: "base", requests: ["python-3.9"] },
      as,
    );
    expect(clash.status).toBe(422);
    expect(clash.body.error.code).toBe("PROFILE_INHERITANCE_CONFLICT");
    expect(clash.body.error.message).toContain("python-3.9");
    expect(clash.body.error.message).toContain("python-3.10");
    const orphan = await call("POST", "/profiles", { name: "orphan", parent: "nobody", requests: [] }, as);
    expect(orphan.body.error.code).toBe("PARENT_PROFILE_NOT_FOUND");
  });

  it("resolves a request without saving it", async () => {
    const solved = await call("POST", "/resolve", { requests: ["nuke", "numpy"] }, as);
    expect(solved.status).toBe(200);
    expect(solved.body.status).toBe("solved");
    expect(solved.body.packages.map((p: { name: string }) => p.name)).toEqual(["python", "nuke", "numpy"]);
    const asOf = await call("POST", "/resolve", { requests: ["nuke"], timestamp: 1695000000 }, as);
    expect(asOf.body.packages.find((p: { name: string }) => p.name === "nuke").version).toBe("14.0.5");
    const failed = await call("POST", "/resolve", { requests: ["maya-2023", "houdini-20"] }, as);
    expect(failed.body).toMatchObject({ status: "failed", failure: { kind: "conflict" } });
    const missing = await call("POST", "/resolve", { requests: ["nosuch"] }, as);
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe("PACKAGE_FAMILY_NOT_FOUND");
    expect((await call("POST", "/resolve", { requests: ["a-1+<"] }, as)).status).toBe(400);
    expect((await call("GET", "/profiles", undefined, as)).body.items).toEqual([]);
  });

  it("publishes packages, new versions only, and shows a family", async () => {
    const published = await call(
      "POST",
      "/packages",
      { name: "pipeline", version: "1.0.0", requires: ["python-3.10+"] },
      as,
    );
    expect(published.status).toBe(201);
    expect(published.body.definition.timestamp).toBeTypeOf("number");
    expect((await call("POST", "/packages", { name: "pipeline", version: "1.0.0" }, as)).status).toBe(409);
    const bad = await call("POST", "/packages", { name: "pipeline", version: "2", requires: ["x-<"] }, as);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toEqual(["requires", 0]);
    const family = await call("GET", "/packages/pipeline", undefined, as);
    expect(family.body).toMatchObject({
      name: "pipeline",
      versions: [{ version: "1.0.0", requires: ["python-3.10+"] }],
    });
    expect((await call("GET", "/packages/nosuch", undefined, as)).status).toBe(404);
    const solved = await call("POST", "/resolve", { requests: ["pipeline"] }, as);
    expect(solved.body.packages.map((p: { name: string }) => p.name)).toEqual(["python", "pipeline"]);
  });

  it("refuses a body over 1 MiB with 413 and a non-JSON body with 415", async () => {
    const big = { name: "big", requests: [], description: "x".repeat(1024 * 1024) };
    const tooLarge = await call("POST", "/profiles", big, as);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    const text = await call("POST", "/profiles", "name=x", { ...as, "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect((await call("GET", "/profiles/big", undefined, as)).status).toBe(404);
  });

  it("answers 404 for unknown routes and 405 with Allow for a wrong method", async () => {
    expect((await call("GET", "/nowhere", undefined, as)).status).toBe(404);
    const wrong = await call("PATCH", "/profiles/x", {}, as);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, PUT, DELETE, HEAD, OPTIONS");
    expect((await call("GET", "/profiles/%E0%A4%A", undefined, as)).status).toBe(400);
  });

  it("lets a reader read and resolve, and only a writer change profiles or publish", async () => {
    const reader = { "x-user": "reader" };
    await call("POST", "/profiles", { name: "shared", requests: ["nuke"] }, as);
    const refused = await call("POST", "/profiles", { name: "mine", requests: [] }, reader);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    expect((await call("PUT", "/profiles/shared", { requests: [] }, reader)).status).toBe(403);
    expect((await call("DELETE", "/profiles/shared", undefined, reader)).status).toBe(403);
    expect((await call("POST", "/profiles/shared/revalidate", undefined, reader)).status).toBe(403);
    expect((await call("POST", "/packages", { name: "p", version: "1" }, reader)).status).toBe(403);
    expect((await call("GET", "/profiles/shared", undefined, reader)).status).toBe(200);
    expect((await call("POST", "/resolve", { requests: ["nuke"] }, reader)).status).toBe(200);
  });

  it("requires If-Match on profile writes when configured (428)", async () => {
    const strict = createProfileDepsHandler({
      service: deps.service,
      repository: deps.repository,
      requirePreconditions: true,
    });
    await deps.service.create({ name: "locked", requests: [] } as never, { actor: "alice" });
    const put = (headers: Record<string, string>) =>
      strict(
        new Request("http://portside.test/profiles/locked", {
          method: "PUT",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ requests: ["nuke"] }),
        }),
      );
    const required = await put({});
    expect(required.status).toBe(428);
    expect((await put({ "if-match": '"1"' })).status).toBe(200);
  });
});
