#!/usr/bin/env node
import { runCli } from "./cli-commands.js";

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
