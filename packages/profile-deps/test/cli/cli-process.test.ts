import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PATHOLOGICAL_REQUEST } from "../resolver/pathological-request.js";

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

describe("the portside-rez budget", () => {
  const benchmark = fileURLToPath(new URL("../../../../data/rez-benchmark/packages.json", import.meta.url));

  it("exits 2 with a clear message when a resolve runs out of memory, instead of crashing", () => {
    const result = run("resolve", "--repo", benchmark, "--max-memory-mb", "16", ...PATHOLOGICAL_REQUEST);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("memory budget of 16 MB reached");
    expect(result.stderr).toContain("--max-memory-mb");
  });

  it("exits 2 with a clear message when a resolve runs out of time", () => {
    const result = run("resolve", "--repo", benchmark, "--timeout-ms", "200", ...PATHOLOGICAL_REQUEST);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /portside-rez: Resolve stopped: time budget of 200 ms reached \(after \d+ solve steps/,
    );
  });
});
