import { computeEffectiveRequest, diffRevisions, mergeRequests, type Profile } from "@portside/profile-deps";
import { profileFixture } from "@portside/profile-deps/testing";
import { describe, expect, it } from "vitest";

describe("the stored effective request", () => {
  it("merges what it can even when the chain holds a clash, instead of concatenating", async () => {
    const chain = new Map([
      ["base", { name: "base", parent: null, requests: ["wave-2", "foo-1"] }],
      ["child", { name: "child", parent: "base", requests: ["wave-2.7", "foo-2"] }],
    ]);
    const effective = await computeEffectiveRequest(chain.get("child")!, async (n) => chain.get(n));
    expect(effective.ok).toBe(false);
    expect(effective.request).toEqual(["wave-2.7", "foo-1", "foo-2"]);
  });

  it("merges a parent's list that clashes inside itself, keeping only the clash apart", () => {
    expect(mergeRequests(["wave-2", "foo-1", "foo-2", "wave-2.7", "!bar-3", "bar-2+"])).toEqual([
      "wave-2.7",
      "foo-1",
      "foo-2",
      "bar-2+<3|3_+",
    ]);
  });
});

describe("the diff of two revisions", () => {
  const revision = (requests: string[], n: number): Profile => ({
    ...profileFixture({ name: "p", requests }),
    revision: n,
  });

  it("pairs requests by name and kind: a conflict replaced by a requirement is one removal and one addition", () => {
    const diff = diffRevisions(revision(["!wave-3", "maya-2024"], 1), revision(["wave-2.7", "maya-2024"], 2));
    expect(diff.requests).toEqual({ added: ["wave-2.7"], removed: ["!wave-3"], changed: [] });
  });

  it("shows each change once, with its kind", () => {
    const diff = diffRevisions(
      revision(["~python-3.9", "!houdini-19", ".feature-1", "nuke-14"], 1),
      revision(["~python-3.10", "!houdini-20", ".feature-2", "nuke-14"], 2),
    );
    expect(diff.requests.added).toEqual([]);
    expect(diff.requests.removed).toEqual([]);
    expect(diff.requests.changed).toEqual([
      { package: "python", kind: "weak", from: "~python-3.9", to: "~python-3.10" },
      { package: "houdini", kind: "conflict", from: "!houdini-19", to: "!houdini-20" },
      { package: ".feature", kind: "ephemeral", from: ".feature-1", to: ".feature-2" },
    ]);
  });
});
