#!/usr/bin/env node
// Builds the packages when a dist is missing or older than its sources: run by `npm install`
// (prepare), so the CLIs work straight away, and by `npm start`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const stale = readdirSync("packages").filter((name) => {
  const dist = join("packages", name, "dist");
  return !existsSync(dist) || newest(join("packages", name, "src")) > newest(dist);
});
if (stale.length > 0) {
  process.stderr.write(`Building ${stale.join(", ")}...\n`);
  const build = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
