import { describe, expect, it } from "vitest";
import {
  createErrorMapper,
  errorBody,
  ifMatchPasses,
  ifMatchVersion,
  ifNoneMatchMatches,
  parseEntityTags,
} from "../src/index.js";
import { createNotesHandler, memoryNotes } from "./demo-handler.js";

class ShopError extends Error {
  constructor(readonly code: "SHOP_CLOSED" | "SHOP_FULL") {
    super(code);
  }
}

describe("error envelope", () => {
  it("always writes details as an object and issue paths as arrays", () => {
    expect(errorBody("X", "m", null).error.details).toEqual({});
    expect(
      errorBody("X", "m", { issues: [{ path: "requests.1.name", message: "bad" }] }).error.details,
    ).toEqual({
      issues: [{ path: ["requests", 1, "name"], message: "bad" }],
    });
    expect(errorBody("X", "m", { issues: [{ path: "", message: "root" }] }).error.details).toEqual({
      issues: [{ path: [], message: "root" }],
    });
  });

  it("types each package's status map by its code union", () => {
    const map = createErrorMapper({ errorClass: ShopError, statuses: { SHOP_CLOSED: 503, SHOP_FULL: 429 } });
    expect(map(new ShopError("SHOP_FULL"))?.status).toBe(429);
    expect(map(new Error("other"))).toBeUndefined();
    // @ts-expect-error SHOP_FULL has no status: the map does not compile.
    createErrorMapper({ errorClass: ShopError, statuses: { SHOP_CLOSED: 503 } });
  });
});

describe("conditional requests (RFC 9110)", () => {
  it("compares If-Match strongly and If-None-Match weakly", () => {
    expect(ifMatchPasses(parseEntityTags('"1", "2"')!, '"2"')).toBe(true);
    expect(ifMatchPasses(parseEntityTags('W/"2"')!, '"2"')).toBe(false);
    expect(ifMatchPasses("*", undefined)).toBe(false);
    expect(ifNoneMatchMatches(parseEntityTags('W/"2"')!, '"2"')).toBe(true);
    expect(ifNoneMatchMatches("*", '"9"')).toBe(true);
  });

  it("reads the version an If-Match names and fails a weak one with 412", () => {
    const req = (value: string) => new Request("http://t/", { headers: { "if-match": value } });
    expect(ifMatchVersion(req('"7"'))).toBe("7");
    expect(ifMatchVersion(req("*"))).toBeUndefined();
    expect(() => ifMatchVersion(req('W/"7"'))).toThrow(expect.objectContaining({ status: 412 }));
    expect(() => ifMatchVersion(req("7"))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it("requires If-Match on versioned writes when asked to (428), and keeps 409 for a conflict without one", async () => {
    const store = memoryNotes();
    await store.put("a", "one");
    const strict = createNotesHandler({ store, requirePreconditions: true });
    const put = (handler: typeof strict, headers: Record<string, string> = {}) =>
      handler(
        new Request("http://t/notes/a", {
          method: "PUT",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ text: "two" }),
        }),
      );
    const required = await put(strict);
    expect(required.status).toBe(428);
    expect(((await required.json()) as { error: { code: string } }).error.code).toBe("PRECONDITION_REQUIRED");
    expect((await put(strict, { "if-match": '"1"' })).status).toBe(200);
    expect((await put(strict, { "if-match": '"1"' })).status).toBe(412);
  });
});
