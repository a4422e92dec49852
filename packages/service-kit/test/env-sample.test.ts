import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const config = fileURLToPath(new URL("fixtures/env-sample/config.ts", import.meta.url));

function envSample(...args: string[]) {
  return spawnSync(process.execPath, [join(repo, "scripts/env-sample.mjs"), "--config", config, ...args], {
    cwd: repo,
    encoding: "utf8",
  });
}

describe("scripts/env-sample.mjs", () => {
  it("renders every key of the schema, by section, with its doc comment and default; --check fails on drift", () => {
    const out = join(mkdtempSync(join(tmpdir(), "env-sample-")), ".env.sample");
    // A key its schema does not document keeps the comment the file had for it.
    writeFileSync(out, "# Stale header\n\n# The AWS region.\nAWS_REGION=\nPORT=\n");
    const written = envSample("--out", out);
    expect(written.status).toBe(0);
    expect(written.stderr).toContain("No doc comment in their schema, so their comment in");
    expect(written.stderr).toContain("is kept: AWS_REGION\n");
    const body = readFileSync(out, "utf8").split("\n").slice(5).join("\n");
    expect(body).toBe(`# --- rooms-api ${"-".repeat(84)}
# Minutes before an idle room closes; Default 240.
ROOMS_IDLE_MINUTES=
# Spotify app credentials.
SPOTIFY_CLIENT_ID=
SPOTIFY_CLIENT_SECRET=

# --- common ${"-".repeat(87)}
# Keys every service shares.

# Port to listen on.
PORT=
# Log level. Default: info.
LOG_LEVEL=
# The AWS region.
AWS_REGION=

# --- other ${"-".repeat(88)}
# Default: false.
EXTRA_FLAG=
`);
    expect(envSample("--out", out, "--check").status).toBe(0);
    writeFileSync(out, readFileSync(out, "utf8").replace("EXTRA_FLAG=\n", ""));
    const drifted = envSample("--out", out, "--check");
    expect(drifted.status).toBe(1);
    expect(drifted.stderr).toContain("differs from the config schemas. Run: node scripts/env-sample.mjs");
  });
});
