#!/usr/bin/env node
// `npm start [-- <service>]`: builds what is stale, then runs the Express example.
// With DYNAMODB_TABLES_USERID set and no AWS endpoint given, the services run on local engines:
// dynoxide for DynamoDB (AWS_ENDPOINT_URL_DYNAMODB) and moto for EventBridge and the rest
// (AWS_ENDPOINT_URL), both stopped with the server. Give an endpoint to use another (or AWS).
import { spawn, spawnSync } from "node:child_process";
import { withServices } from "./lib/services.mjs";

const build = spawnSync("node", ["scripts/build-if-stale.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const local =
  Boolean(process.env.DYNAMODB_TABLES_USERID?.trim()) &&
  !process.env.AWS_ENDPOINT_URL_DYNAMODB &&
  !process.env.AWS_ENDPOINT_URL;
// Without local engines there is nothing to report.
const log = (message) => local && process.stderr.write(`[services] ${message}\n`);

try {
  process.exitCode = await withServices(
    { postgres: false, aws: local, dynamodb: local, sqs: false, log },
    (env) => {
      return new Promise((resolve) => {
        const server = spawn("npx", ["tsx", "examples/express/src/main.ts", ...process.argv.slice(2)], {
          stdio: "inherit",
          env: { ...process.env, ...env },
        });
        server.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
      });
    },
  );
} catch (error) {
  process.stderr.write(`\nnpm start cannot start its services:\n${error.message}\n`);
  process.exitCode = 1;
}
