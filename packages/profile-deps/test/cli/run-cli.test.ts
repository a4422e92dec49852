import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "portside-rez-"));
const repoPath = join(dir, "packages.json");
writeFileSync(
  repoPath,
  JSON.stringify({
    format: "rez-benchmark-repository/1",
    families: {
      foo: { "1.2": { requires: ["eek-2.6"] }, "1.3": { requires: ["eek-2.7"] } },
      bah: { "4": { requires: ["eek-2.6"] } },
      eek: { "2.6": { requires: [] }, "2.7": { requires: [] } },
      plugin: { "1": { requires: [], variants: [["eek-2.6"], ["eek-2.7"]] } },
    },
  }),
);
const requestsPath = join(dir, "requests.json");
writeFileSync(requestsPath, JSON.stringify([["foo", "bah"], ["foo-1.3", "bah"], ["plugin"]]));

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) });
  return { code, stdout, stderr };
}

describe("portside-rez resolve", () => {
  it("prints one name-version[index] per line and exits 0", async () => {
    const { code, stdout } = await run("resolve", "--repo", repoPath, "foo", "bah");
    expect(code).toBe(0);
    expect(stdout).toEqual(["eek-2.6[]", "foo-1.2[]", "bah-4[]"]);
    expect((await run("resolve", "--repo", repoPath, "plugin")).stdout).toEqual(["eek-2.7[]", "plugin-1[1]"]);
  });

  it("prints the failure and exits 1 when the resolve fails", async () => {
    const { code, stdout, stderr } = await run("resolve", "--repo", repoPath, "foo-1.3", "bah");
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr[0]).toMatch(/^resolve failed \((conflict|reduction)\): /);
  });

  it("resolves each request list of a file as one JSON line", async () => {
    const { code, stdout } = await run("resolve", "--repo", repoPath, "--requests", requestsPath, "--json");
    expect(code).toBe(1);
    const lines = stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.index, l.status, l.resolve])).toEqual([
      [0, "solved", ["eek-2.6[]", "foo-1.2[]", "bah-4[]"]],
      [1, "failed", []],
      [2, "solved", ["eek-2.7[]", "plugin-1[1]"]],
    ]);
    expect(typeof lines[0]!.ms).toBe("number");
  });

  it("exits 2 with a message for a missing package or bad input", async () => {
    const missing = await run("resolve", "--repo", repoPath, "ghost");
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toContain("Package family not found: ghost");
    expect((await run("resolve", "--repo", repoPath, "foo-4+<2")).code).toBe(2);
    expect((await run("resolve", "foo")).stderr[0]).toContain("--repo");
    expect((await run("resolve", "--repo", join(dir, "nope.json"), "foo")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run("resolve", "--bogus")).code).toBe(2);
  });

  it("passes options through: variant mode, exclusions", async () => {
    const { stdout } = await run("resolve", "--repo", repoPath, "--exclude", "eek-2.7", "foo");
    expect(stdout).toEqual(["eek-2.6[]", "foo-1.2[]"]);
    expect((await run("resolve", "--repo", repoPath, "--variant-select-mode", "nope", "foo")).code).toBe(2);
  });
});

describe("portside-rez bench", () => {
  it("prints load time, median, mean, max, total and peak RSS", async () => {
    const { code, stdout } = await run("bench", "--repo", repoPath, "--requests", requestsPath);
    expect(code).toBe(0);
    const labels = stdout.map((l) => l.split(/\s{2,}/)[0]!.trim());
    for (const label of ["load", "median", "mean", "max", "total", "peak RSS"])
      expect(labels).toContain(label);
    const json = JSON.parse(
      (await run("bench", "--repo", repoPath, "--requests", requestsPath, "--json")).stdout[0]!,
    );
    expect(json).toMatchObject({ requests: 3, solved: 2, failed: 1, errors: 0 });
  });

  it("prints usage with --help", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout[0]).toContain("portside-rez resolve --repo FILE");
  });
});
