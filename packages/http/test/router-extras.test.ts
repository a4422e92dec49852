import { describe, expect, it } from "vitest";
import { createHttpHandler, type Route } from "../src/index.js";
import { createCapturingLogger } from "../src/testing/index.js";

const routes: Route[] = [
  { method: "GET", path: "/things/:id", handle: ({ params }) => Response.json({ id: params.id }) },
  {
    method: "DELETE",
    path: "/things/:id",
    roles: ["admin"],
    handle: () => new Response(null, { status: 204 }),
  },
  { method: "GET", path: "/open", public: true, handle: () => Response.json({ open: true }) },
];

describe("router", () => {
  it("decodes path parameters, including an encoded slash", async () => {
    const handler = createHttpHandler({ routes });
    expect(await (await handler(new Request("http://t/things/a%2Fb%20c"))).json()).toEqual({ id: "a/b c" });
  });

  it("answers HEAD from the GET route without a body", async () => {
    const response = await createHttpHandler({ routes })(
      new Request("http://t/things/1", { method: "HEAD" }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("sends no CORS headers unless configured, and answers a preflight for allowed origins when it is", async () => {
    const origin = { origin: "https://app.example" };
    const closed = await createHttpHandler({ routes })(new Request("http://t/things/1", { headers: origin }));
    expect(closed.headers.get("access-control-allow-origin")).toBeNull();
    const handler = createHttpHandler({ routes, cors: { origins: ["https://app.example"] } });
    const preflight = await handler(
      new Request("http://t/things/1", {
        method: "OPTIONS",
        headers: { ...origin, "access-control-request-method": "DELETE" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");
    const actual = await handler(new Request("http://t/things/1", { headers: origin }));
    expect(actual.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(actual.headers.get("access-control-expose-headers")).toContain("x-request-id");
    const other = await handler(
      new Request("http://t/things/1", { headers: { origin: "https://evil.example" } }),
    );
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("authenticates every route but public ones, checks roles, and logs the actor without the token", async () => {
    const logger = createCapturingLogger();
    const handler = createHttpHandler({
      routes,
      logger,
      authenticate: (request) => {
        const role = request.headers.get("authorization")?.replace("Bearer ", "");
        return role ? { id: `user-${role}`, roles: [role] } : null;
      },
    });
    const noToken = await handler(new Request("http://t/things/1"));
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toBe("Bearer");
    expect((await handler(new Request("http://t/open"))).status).toBe(200);
    const as = (role: string) => ({ method: "DELETE", headers: { authorization: `Bearer ${role}` } });
    expect((await handler(new Request("http://t/things/1", as("reader")))).status).toBe(403);
    expect((await handler(new Request("http://t/things/1", as("admin")))).status).toBe(204);
    const line = logger.entries.at(-1)!;
    expect(line.fields).toMatchObject({
      method: "DELETE",
      path: "/things/1",
      status: 204,
      actor: "user-admin",
    });
    expect(JSON.stringify(logger.entries)).not.toContain("Bearer");
  });
});
