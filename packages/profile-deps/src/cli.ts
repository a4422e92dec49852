#!/usr/bin/env node
import { runCli } from "./cli/run-cli.js";

// A reader that stops early (`| head`) closes the pipe: finish quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const lines = { stdout: [] as string[], stderr: [] as string[] };
const flush = () => {
  if (lines.stdout.length > 0) process.stdout.write(`${lines.stdout.join("\n")}\n`);
  if (lines.stderr.length > 0) process.stderr.write(`${lines.stderr.join("\n")}\n`);
  lines.stdout.length = 0;
  lines.stderr.length = 0;
};

runCli(process.argv.slice(2), {
  stdout: (text) => {
    lines.stdout.push(text);
    if (lines.stdout.length >= 256) flush();
  },
  stderr: (text) => lines.stderr.push(text),
}).then(
  (code) => {
    flush();
    process.exitCode = code;
  },
  (error: unknown) => {
    flush();
    process.stderr.write(`portside-rez: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 3;
  },
);
