import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "portside-rez-process-"));
const repoPath = join(dir, "packages.json");
writeFileSync(
  repoPath,
  JSON.stringify({
    format: "rez-benchmark-repository/1",
    families: {
      app: { "1.0": { requires: ["lib-2"] } },
      lib: { "2.1": { requires: [] }, "3.0": { requires: [] } },
    },
  }),
);

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8", timeout: 60_000 });

describe("the portside-rez process", () => {
  it("is linked through an executable launcher with a node shebang", () => {
    const launcher = fileURLToPath(new URL("../../bin/portside-rez.js", import.meta.url));
    expect(readFileSync(launcher, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
  });

  it("prints the resolve on stdout and exits 0", () => {
    const result = run("resolve", "--repo", repoPath, "app");
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(["lib-2.1[]", "app-1.0[]"]);
  });

  it("prints a failure on stderr and exits 1", () => {
    const result = run("resolve", "--repo", repoPath, "app", "lib-3");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("resolve failed (conflict)");
  });
});
