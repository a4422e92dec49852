import { describe, expect, it, vi } from "vitest";
import { domainModules } from "../src/compose.js";
import type { ServiceName } from "../src/manifest.js";
import { createRouter } from "../src/router.js";
import type { ComposedService } from "../src/service.js";

const echo = (name: ServiceName): ComposedService => ({
  name,
  routes: domainModules[name].routes,
  adapters: { store: "memory" },
  handler: async (request) => Response.json({ served: name, path: new URL(request.url).pathname }),
});

describe("router", () => {
  const route = createRouter([echo("registry"), echo("profile-deps")]);

  it("sends each path to the service that owns its prefix", async () => {
    const a = await route(new Request("http://x/entity/person/"));
    expect(await a.json()).toEqual({ served: "registry", path: "/entity/person/" });
    const b = await route(new Request("http://x/profiles/maya"));
    expect(await b.json()).toEqual({ served: "profile-deps", path: "/profiles/maya" });
  });

  it("does not match a prefix inside a longer segment", async () => {
    const response = await route(new Request("http://x/entityTypes"));
    expect(response.status).toBe(404);
  });

  it("reports each composed service and its adapters on /healthz", async () => {
    const response = await route(new Request("http://x/healthz"));
    expect(await response.json()).toEqual({
      status: "ok",
      service: "portside-examples",
      domains: [
        { name: "registry", adapters: { store: "memory" } },
        { name: "profile-deps", adapters: { store: "memory" } },
      ],
    });
  });

  it("turns a handler's exception into a JSON 500", async () => {
    const failing: ComposedService = {
      name: "dj-room",
      routes: domainModules["dj-room"].routes,
      adapters: {},
      handler: async () => {
        throw new Error("boom");
      },
    };
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await createRouter([failing])(new Request("http://x/rooms"));
    expect(logged).toHaveBeenCalledOnce();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: "INTERNAL", message: "Internal error", details: {} },
    });
    expect(JSON.stringify(logged.mock.calls)).toContain("boom");
    logged.mockRestore();
  });
});
