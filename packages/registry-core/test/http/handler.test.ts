import { createMemoryRegistryStore, createRegistryService } from "@portside/registry-core";
import { createRegistryHttpHandler, jwtAuthenticator } from "@portside/registry-core/http";
import { companyType, personType } from "@portside/registry-core/testing";
import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";

const secret = new TextEncoder().encode("test-secret-test-secret-test-secret!");
const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("portside-test")
    .setExpirationTime("5m")
    .sign(secret);

let handler: (request: Request) => Promise<Response>;
let admin: string;
let writer: string;

beforeEach(async () => {
  const service = createRegistryService({ store: createMemoryRegistryStore() });
  handler = createRegistryHttpHandler({
    service,
    authenticate: jwtAuthenticator({ key: secret, issuer: "portside-test" }),
    anonymous: { organisation: "acme" },
  });
  admin = await token({ sub: "ann", org: "acme", roles: ["admin"] });
  writer = await token({ sub: "wes", org: "acme", roles: ["read", "write"] });
  await call("POST", "/entityType/", admin, companyType);
  await call("POST", "/entityType/", admin, personType);
});

async function call(
  method: string,
  path: string,
  jwt?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await handler(
    new Request(`http://registry.test${path}`, {
      method,
      headers: {
        ...(jwt && { authorization: `Bearer ${jwt}` }),
        ...(body !== undefined && { "content-type": "application/json" }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

describe("entity types over HTTP", () => {
  it("lists, reads, patches with If-Match and deletes types", async () => {
    const list = await call("GET", "/entityType/", writer);
    expect(list.body.map((t: { name: string }) => t.name)).toEqual(["company", "person"]);
    const got = await call("GET", "/entityType/company/", writer);
    expect(got.headers.get("etag")).toBe('"1"');
    const patched = await call(
      "PATCH",
      "/entityType/",
      admin,
      { name: "company", tags: ["b2b"] },
      { "if-match": '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, tags: ["b2b"], migrationRequired: false });
    const stale = await call("PATCH", "/entityType/company/", admin, { tags: ["x"] }, { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("PRECONDITION_FAILED");
    await call("POST", "/entityType/", admin, { name: "scratch" });
    expect((await call("DELETE", "/entityType/?name=scratch", admin)).status).toBe(204);
  });

  it("answers 403 to a writer creating a type and 400 with field paths to a bad type", async () => {
    expect((await call("POST", "/entityType/", writer, { name: "x" })).status).toBe(403);
    const bad = await call("POST", "/entityType/", admin, {
      name: "9bad",
      fields: [{ name: "a", type: "nope" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string[] }) => i.path.join("."))).toEqual(
      expect.arrayContaining(["name", "fields.0.type"]),
    );
  });
});

describe("entities over HTTP", () => {
  it("creates, reads, updates with If-Match and deletes an entity", async () => {
    const created = await call("POST", "/entity/person/", writer, { data: { name: "Ada", age: 36 } });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    const id = created.body.id;
    expect((await call("GET", `/entity/person/${id}/`, writer)).body.data).toMatchObject({
      name: "Ada",
      age: 36,
    });
    const updated = await call(
      "PATCH",
      `/entity/person/${id}/`,
      writer,
      { data: { age: 37 } },
      { "if-match": '"1"' },
    );
    expect(updated.body.version).toBe(2);
    const stale = await call(
      "PATCH",
      `/entity/person/${id}/`,
      writer,
      { data: { age: 38 } },
      { "if-match": '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(
      (await call("DELETE", `/entity/person/${id}/`, writer, undefined, { "if-match": '"2"' })).status,
    ).toBe(204);
    expect((await call("GET", `/entity/person/${id}/`, writer)).status).toBe(404);
  });

  it("lists every bad field with a 400", async () => {
    const bad = await call("POST", "/entity/person/", writer, { data: { age: "old", email: "x", extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(bad.body.error.details.issues.map((i: { path: string[] }) => i.path.join("."))).toEqual(
      expect.arrayContaining(["data.name", "data.age", "data.email", "data.extra"]),
    );
  });

  it("searches with the seed's query string, links either way, and pages", async () => {
    const acme = await call("POST", "/entity/company/", writer, { data: { name: "Acme" } });
    for (const [name, address] of [
      ["Ada", "test address"],
      ["Grace", "test address"],
      ["Alan", "elsewhere"],
    ]) {
      await call("POST", "/entity/person/", writer, { data: { name, address, employer: acme.body.id } });
    }
    const q = `fields=${encodeURIComponent('address="test address"')}&links=${acme.body.id}&limit=1`;
    const first = await call("GET", `/entity/person/search/?${q}`, writer);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const second = await call("GET", `/entity/person/search/?${q}&cursor=${first.body.nextCursor}`, writer);
    const names = [...first.body.items, ...second.body.items].map(
      (i: { data: { name: string } }) => i.data.name,
    );
    expect(names.sort()).toEqual(["Ada", "Grace"]);
    const posted = await call("POST", "/entity/person/search/", writer, {
      conditions: [{ field: "name", op: "prefix", value: "A" }],
    });
    expect(posted.body.items.map((i: { data: { name: string } }) => i.data.name).sort()).toEqual([
      "Ada",
      "Alan",
    ]);
    const company = await call("GET", `/entity/company/${acme.body.id}/`, writer);
    expect(company.body.inverse.employees).toHaveLength(3);
  });

  it("refuses a filter on a field that is not indexed with a 422", async () => {
    const response = await call(
      "GET",
      `/entity/person/search/?fields=${encodeURIComponent("notes=x")}`,
      writer,
    );
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("UNINDEXED_FILTER");
  });
});

describe("authentication over HTTP", () => {
  it("lets anonymous actors read the default organisation but not write", async () => {
    await call("POST", "/entity/company/", writer, { data: { name: "Acme" } });
    expect((await call("GET", "/entity/company/")).body.items).toHaveLength(1);
    const write = await call("POST", "/entity/company/", undefined, { data: { name: "x" } });
    expect(write.status).toBe(403);
  });

  it("answers 401 to a bad token and to anonymous requests when none are allowed", async () => {
    const forged = await new SignJWT({ sub: "x", org: "acme" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("another-secret-another-secret-12345"));
    const response = await call("GET", "/entity/company/", forged);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    const strict = createRegistryHttpHandler({
      service: createRegistryService({ store: createMemoryRegistryStore() }),
      authenticate: () => null,
    });
    expect((await strict(new Request("http://x/entityType/"))).status).toBe(401);
  });

  it("keeps organisations apart", async () => {
    const other = await token({ sub: "oz", org: "other", roles: ["admin"] });
    const created = await call("POST", "/entity/company/", writer, { data: { name: "Acme" } });
    expect((await call("GET", `/entity/company/${created.body.id}/`, other)).status).toBe(404);
  });

  it("answers malformed JSON with 400 and unknown paths with 404", async () => {
    expect((await call("POST", "/entity/person/", writer, "{nope")).status).toBe(400);
    expect((await call("GET", "/nothing/here", writer)).status).toBe(404);
    expect((await call("PUT", "/entityType/", admin, {})).status).toBe(405);
  });
});
