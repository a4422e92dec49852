#!/usr/bin/env node
// A committed launcher, so npm links the bin at install time, before anything is built.
import "../dist/cli.js";
