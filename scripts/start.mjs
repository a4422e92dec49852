#!/usr/bin/env node
// `npm start [-- <service>]`: builds the packages when their dist is missing or older than
// their sources, then runs the Express example on embedded defaults.
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
const server = spawnSync("npx", ["tsx", "examples/express/src/main.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(server.status ?? 1);
