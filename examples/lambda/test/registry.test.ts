import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { httpEvent } from "./support/http-event.js";

const ENV_KEYS = [
  "DYNAMODB_TABLES_USERID",
  "AWS_REGION",
  "AWS_ENDPOINT_URL",
  "REGISTRY_ANONYMOUS",
  "REGISTRY_DEFAULT_ORGANISATION",
  "AWS_LAMBDA_FUNCTION_NAME",
] as const;
const savedEnv: Record<string, string | undefined> = {};
let lambda: typeof import("../src/registry.js");

async function http(method: string, path: string, body?: unknown, query = "") {
  const result = await lambda.handler(httpEvent(method, query ? `${path}?${query}` : path, { body }));
  return { status: result.statusCode, body: JSON.parse(result.body ?? "null") };
}

beforeAll(async () => {
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
  const aws = awsClientConfig();
  process.env.DYNAMODB_TABLES_USERID = uniqueName("lambda-registry");
  process.env.AWS_ENDPOINT_URL = aws.endpoint;
  process.env.AWS_REGION = aws.region;
  process.env.REGISTRY_ANONYMOUS = "admin";
  process.env.REGISTRY_DEFAULT_ORGANISATION = "lambda-demo";
  lambda = await import("../src/registry.js");
});

afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

describe("registry Lambda handler", () => {
  it("creates a type and entities on DynamoDB and answers the seed's search", async () => {
    expect(
      (
        await http("POST", "/entityType/", {
          name: "place",
          fields: [{ name: "address", type: "string", indexed: true }],
        })
      ).status,
    ).toBe(201);
    const made = await http("POST", "/entity/place/", { data: { address: "test address" } });
    expect(made.status).toBe(201);
    await http("POST", "/entity/place/", { data: { address: "other" } });
    const found = await http(
      "GET",
      "/entity/place/search/",
      undefined,
      `fields=${encodeURIComponent('address="test address"')}&limit=5`,
    );
    expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([made.body.id]);
    expect(found.body.items[0].organisation).toBe("lambda-demo");
    const stale = await http("PATCH", `/entity/place/${made.body.id}/`, { data: { address: "x" } });
    expect(stale.body.version).toBe(2);
  });
});

describe("registry Lambda handler, misconfigured", () => {
  it("refuses to run on memory stores, and composes on the next invocation once the config is fixed", async () => {
    const prefix = process.env.DYNAMODB_TABLES_USERID;
    vi.resetModules();
    delete process.env.DYNAMODB_TABLES_USERID;
    process.env.AWS_LAMBDA_FUNCTION_NAME = "registry-http";
    const fresh = await import("../src/registry.js");
    try {
      await expect(fresh.handler(httpEvent("GET", "/entityType/"))).rejects.toThrow(/DYNAMODB_TABLES_USERID/);
      process.env.DYNAMODB_TABLES_USERID = prefix;
      // The failed build is not kept for the instance's life.
      expect((await fresh.handler(httpEvent("GET", "/entityType/"))).statusCode).toBe(200);
    } finally {
      process.env.DYNAMODB_TABLES_USERID = prefix;
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    }
  });
});
