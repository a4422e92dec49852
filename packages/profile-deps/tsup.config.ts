import { definePackageBuild } from "../../scripts/tsup-package.js";

export default definePackageBuild(import.meta.url, {
  cli: "src/cli.ts",
  "resolve-worker": "src/resolver/worker/resolve-worker.ts",
});
