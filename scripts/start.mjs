#!/usr/bin/env node
// `npm start [-- <service>]`: builds what is stale, then runs the Express example.
import { spawnSync } from "node:child_process";

const build = spawnSync("node", ["scripts/build-if-stale.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const server = spawnSync("npx", ["tsx", "examples/express/src/main.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(server.status ?? 1);
