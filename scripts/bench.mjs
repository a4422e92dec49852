#!/usr/bin/env node
// Runs packages/<package>/bench/<name>.bench.ts with tsx, with the services it needs up.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { withServices } from "./lib/services.mjs";

const [pkg, name, ...rest] = process.argv.slice(2);
const file = `packages/${pkg}/bench/${name}.bench.ts`;
if (!existsSync(file)) {
  process.stderr.write(`no benchmark at ${file}\n`);
  process.exit(1);
}
// The resolver needs no service. The others get dynoxide (DynamoDB), moto (the rest of AWS) and a
// PostgreSQL with durable commits (the test cluster runs without fsync, which would flatter any
// per-commit baseline).
const needs =
  pkg === "profile-deps" || pkg === "http"
    ? { postgres: false, aws: false }
    : { postgres: true, durable: true, aws: true, sqs: false };
// Benchmarks that measure a package's built output (the resolver runs the built CLI) need it fresh.
const build = spawnSync("node", ["scripts/build-if-stale.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const log = (message) => process.stderr.write(`[services] ${message}\n`);
const code = await withServices({ ...needs, log }, (env) => {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", file, ...rest], { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (status) => resolve(status ?? 1));
  });
});
process.exitCode = code;
