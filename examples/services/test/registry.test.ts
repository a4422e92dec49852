import { composeRegistry as createRegistryService } from "@portside/service-kit/registry";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { awsClientConfig, awsEndpoint, uniqueName } from "#test-support";
import { loadConfig } from "../src/config.js";
import type { ComposedService } from "../src/service.js";

async function call(service: ComposedService, method: string, path: string, body?: unknown, token?: string) {
  const response = await service.handler(
    new Request(`http://demo.test${path}`, {
      method,
      headers: {
        ...(body !== undefined && {
          "content-type": typeof body === "string" ? "text/csv" : "application/json",
        }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    body: text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text,
  };
}

async function exercise(service: ComposedService, token?: string) {
  const type = await call(
    service,
    "POST",
    "/entityType/",
    {
      name: "site",
      fields: [
        { name: "code", type: "string", unique: true },
        { name: "address", type: "string", indexed: true },
        { name: "parent", type: "link", link: { target: "site", inverse: "children", onDelete: "cascade" } },
      ],
    },
    token,
  );
  expect(type.status).toBe(201);
  const upload = await call(
    service,
    "POST",
    "/entity/site/upload?upsertOn=code",
    'code,address,parent\nhq,"test address",\nlab,"test address",hq\nshed,elsewhere,hq\n',
    token,
  );
  expect(upload.status).toBe(202);
  let job = upload.body;
  for (let i = 0; job.status === "running" && i < 300; i++) {
    await new Promise((r) => setTimeout(r, 10));
    job = (await call(service, "GET", `/entity/site/imports/${job.id}`, undefined, token)).body;
  }
  expect(job).toMatchObject({ status: "completed", created: 3, failed: 0 });
  const hq = (
    await call(
      service,
      "GET",
      `/entity/site/search/?fields=${encodeURIComponent('code="hq"')}`,
      undefined,
      token,
    )
  ).body.items[0];
  const found = await call(
    service,
    "GET",
    `/entity/site/search/?fields=${encodeURIComponent('address="test address"')}&links=${hq.id}&limit=10`,
    undefined,
    token,
  );
  expect(found.body.items.map((s: { data: { code: string } }) => s.data.code)).toEqual(["lab"]);
  const csv = await call(service, "GET", "/entity/site/download?format=csv", undefined, token);
  expect(String(csv.body).split("\r\n")[0]).toBe("id,code,address,parent");
  expect((await call(service, "DELETE", `/entity/site/${hq.id}/`, undefined, token)).status).toBe(204);
  expect((await call(service, "GET", "/entity/site/", undefined, token)).body.items).toEqual([]);
}

describe("registry service composition", () => {
  it("on embedded defaults, serves the whole API from memory to an anonymous demo admin", async () => {
    const service = await createRegistryService(loadConfig({}));
    expect(service.adapters).toMatchObject({ store: "memory", events: "in-process" });
    await exercise(service);
  });

  it("with a table prefix and a JWT secret, stores in DynamoDB and refuses anonymous writes", async () => {
    const aws = awsClientConfig();
    const secret = "a-registry-secret-of-at-least-32-chars";
    const service = await createRegistryService(
      loadConfig({
        DYNAMODB_TABLES_USERID: uniqueName("registry-host"),
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: awsEndpoint("dynamodb"),
        AWS_REGION: aws.region,
        REGISTRY_JWT_SECRET: secret,
      }),
    );
    expect(service.adapters.store).toMatch(/^dynamodb:registry-host-[0-9a-f]+-registry$/);
    const token = await new SignJWT({ org: "acme", roles: ["admin"] })
      .setSubject("ann")
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(secret));
    expect((await call(service, "POST", "/entityType/", { name: "x" })).status).toBe(403);
    await exercise(service, token);
  });
});
