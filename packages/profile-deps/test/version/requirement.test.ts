import { describe, expect, it } from "vitest";
import { InvalidRequirementError } from "../../src/errors.js";
import { parseRequirement } from "../../src/version/requirement.js";
import { RequirementList } from "../../src/version/requirement-list.js";
import { parseVersion } from "../../src/version/version.js";

const req = parseRequirement;
const merge = (...texts: string[]) => new RequirementList(texts.map(req));

describe("parseRequirement", () => {
  it.each([
    ["foo", "foo", ""],
    ["foo-1.0", "foo", "1.0"],
    ["foo@1.0", "foo", "1.0"],
    ["foo#1.0", "foo", "1.0"],
    ["foo-1+<4.3", "foo", "1+<4.3"],
    ["foo<3", "foo", "<3"],
    ["foo==1.0.1", "foo", "==1.0.1"],
    ["foo>=2", "foo", "2+"],
    ["maya-2022+<2024", "maya", "2022+<2024"],
    ["foo-1.3|5+", "foo", "1.3|5+"],
  ])("splits %j into name %j and range %j", (text, name, range) => {
    const r = req(text);
    expect(r.name).toBe(name);
    expect(String(r.range)).toBe(range);
    expect(r.conflict).toBe(false);
  });

  it("reads a conflict: foo must not be in the range", () => {
    const r = req("!foo-1");
    expect(r.conflict).toBe(true);
    expect(r.weak).toBe(false);
    expect(String(r)).toBe("!foo-1");
    expect(String(req("!foo"))).toBe("!foo");
  });

  it("reads a weak reference as the conflict of the inverse range", () => {
    const r = req("~foo-1");
    expect(r.conflict).toBe(true);
    expect(r.weak).toBe(true);
    expect(String(r.range)).toBe("<1|1_+");
    expect(String(r)).toBe("~foo-1");
    expect(String(req("~python==2.7.3"))).toBe("~python==2.7.3");
  });

  it("gives ~foo no range at all: it constrains nothing", () => {
    const r = req("~foo");
    expect(r.range).toBeNull();
    expect(r.conflictsWith(req("foo-1"))).toBe(false);
    expect(String(r)).toBe("~foo");
  });

  it("marks ephemerals by their leading dot", () => {
    const r = req(".foo-2");
    expect(r.name).toBe(".foo");
    expect(r.ephemeral).toBe(true);
    expect(req("foo").ephemeral).toBe(false);
  });

  it("interns: the same text gives the same object", () => {
    expect(req("bar-1.2+")).toBe(req("bar-1.2+"));
  });

  it.each(["", "-1", "!", "foo-4+<2", "foo-<", "foo bar-1", "~-1"])(
    "rejects %j with InvalidRequirementError",
    (text) => {
      expect(() => req(text)).toThrow(InvalidRequirementError);
    },
  );
});

describe("conflictsWith", () => {
  it("finds plain requests in conflict when their ranges do not meet", () => {
    expect(req("foo-1").conflictsWith(req("foo-2"))).toBe(true);
    expect(req("foo-1+").conflictsWith(req("foo-2"))).toBe(false);
    expect(req("foo-1").conflictsWith(req("bar-2"))).toBe(false);
  });

  it("finds a conflict request in conflict only when it covers the whole other range", () => {
    expect(req("!foo-1").conflictsWith(req("foo==1.2|==1.5"))).toBe(true);
    expect(req("!foo-1").conflictsWith(req("foo==1.2|==2"))).toBe(false);
    expect(req("foo-1.2").conflictsWith(req("!foo-1"))).toBe(true);
    expect(req("!foo-1").conflictsWith(req("!foo-2"))).toBe(false);
  });

  it("applies a weak reference only to its package's range", () => {
    expect(req("~foo-1").conflictsWith(req("foo-2"))).toBe(true);
    expect(req("~foo-1").conflictsWith(req("foo-1.5"))).toBe(false);
  });
});

describe("RequirementList merges a request list", () => {
  it("narrows foo-4+ with foo-4.5 to foo-4.5", () => {
    expect(String(merge("foo-4+", "foo-4.5"))).toBe("foo-4.5");
  });

  it("narrows foo-2+ with !foo-4+ to foo-2+<4", () => {
    expect(String(merge("foo-2+", "!foo-4+"))).toBe("foo-2+<4");
    expect(String(merge("!foo-4+", "foo-2+"))).toBe("foo-2+<4");
  });

  it("reports foo-1 with foo-2 as a conflict", () => {
    const list = merge("foo-1", "foo-2");
    expect(list.conflict?.map(String)).toEqual(["foo-1", "foo-2"]);
    expect(String(list)).toBe("foo-1 <--!--> foo-2");
  });

  it("unions conflicts and keeps first-seen order", () => {
    const list = merge("bar", "!foo-2", "baz-1", "!foo-5");
    expect(list.requirements.map(String)).toEqual(["bar", "!foo-2|5", "baz-1"]);
    expect([...list.names]).toEqual(["bar", "baz"]);
    expect([...list.conflictNames]).toEqual(["foo"]);
  });

  it("merges a weak reference into a plain request", () => {
    expect(String(merge("python", "~python-2.7"))).toBe("python-2.7");
    expect(merge("python-3", "~python-2.7").conflict).not.toBeNull();
    expect(String(merge("~python-2.7", "~python-2"))).toBe("~python-2.7");
  });

  it("keeps the range of a version it was given", () => {
    expect(merge("foo-1+").get("foo")?.range?.contains(parseVersion("3"))).toBe(true);
  });
});
