import { existsSync } from "node:fs";
import { run } from "./child.mjs";
import { PrerequisiteError } from "./prerequisite-error.mjs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Debian's Chromium for browser tests: found, or installed with apt-get when running as root. */
export function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new PrerequisiteError(
      "Chromium (for the browser tests)",
      "apt-get install chromium",
      "CHROMIUM_PATH",
    );
  }
  process.stderr.write("[services] installing Debian's chromium package (once)\n");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { env });
  const installed = CANDIDATES.find((path) => existsSync(path));
  if (!installed) throw new Error("apt-get installed chromium, but no chromium binary was found");
  return installed;
}
