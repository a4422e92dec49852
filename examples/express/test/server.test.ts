import { loadConfig, serviceNames } from "@portside-examples/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/server.js";

describe("Express host on embedded defaults", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(loadConfig({}), serviceNames, 0);
  });
  afterAll(() => server?.close());

  it("reports every composed service and its adapters on /healthz", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      domains: { name: string; adapters: Record<string, string> }[];
    };
    expect(body.domains.map((s) => s.name)).toEqual([...serviceNames]);
  });

  it("answers an unknown path with a JSON 404", async () => {
    const response = await fetch(`${server.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND", details: {} } });
  });
});
