import { join } from "node:path";
import { installOnce } from "./cache.mjs";
import { run, startService } from "./child.mjs";
import { freePort } from "./free-port.mjs";
import { PrerequisiteError } from "./prerequisite-error.mjs";
import { waitUntil } from "./wait-until.mjs";

export const MOTO_VERSION = "5.2.5";

function python() {
  for (const candidate of [process.env.PYTHON, "python3", "python"]) {
    if (!candidate) continue;
    try {
      const version = run(candidate, [
        "-c",
        "import sys, venv; print('%d.%d' % sys.version_info[:2])",
      ]).trim();
      return { command: candidate, version };
    } catch {}
  }
  return null;
}

/** moto in a virtual environment of its own, outside the repo, built once per moto and Python version. */
export function ensureMoto() {
  const py = python();
  if (!py) {
    throw new PrerequisiteError(
      "Python 3 with the venv module (needed to run the moto AWS emulator)",
      "apt-get install python3 python3-venv",
      "AWS_ENDPOINT_URL",
    );
  }
  // The venv is built in a staging folder and renamed, so run its python (not a script with a shebang).
  const venv = installOnce(`moto-${MOTO_VERSION}-py${py.version}`, `moto ${MOTO_VERSION}`, (staging) => {
    run(py.command, ["-m", "venv", staging]);
    run(join(staging, "bin", "pip"), [
      "install",
      "--quiet",
      "--disable-pip-version-check",
      `moto[server]==${MOTO_VERSION}`,
    ]);
  });
  return join(venv, "bin", "python");
}

/** Starts moto in server mode on a free loopback port. */
export async function startMoto() {
  const server = ensureMoto();
  const port = await freePort();
  const service = startService("moto", server, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil("moto", async () => (await fetch(`${endpoint}/moto-api/`)).status < 500, {
      alive: service.exited,
    });
  } catch (error) {
    await service.stop("SIGKILL");
    throw error;
  }
  return { endpoint, port, service, stop: () => service.stop() };
}
