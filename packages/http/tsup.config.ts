import { definePackageBuild } from "../../scripts/tsup-package.js";

export default definePackageBuild(import.meta.url);
