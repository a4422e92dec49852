#!/usr/bin/env node
// The test command: brings up PostgreSQL, the AWS engines (dynoxide for DynamoDB, ElasticMQ for
// SQS, moto for the rest) and Chromium as needed, runs every vitest project with them, and stops
// what it started.
import { spawn } from "node:child_process";
import { withServices } from "./lib/services.mjs";

const log = (message) => process.stderr.write(`[services] ${message}\n`);
const args = process.argv.slice(2);

try {
  const code = await withServices({ postgres: true, aws: true, chromium: true, log }, (env) => {
    return new Promise((resolve) => {
      const child = spawn("npx", ["vitest", "run", ...args], {
        stdio: "inherit",
        env: { ...process.env, ...env },
      });
      child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    });
  });
  process.exitCode = code;
} catch (error) {
  process.stderr.write(`\nnpm test cannot start its services:\n${error.message}\n`);
  process.exitCode = 1;
}
