import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startService } from "./child.mjs";
import { freePort } from "./free-port.mjs";
import { PrerequisiteError } from "./prerequisite-error.mjs";
import { waitUntil } from "./wait-until.mjs";

const require = createRequire(import.meta.url);

/** dynoxide's prebuilt binary, shipped by the optional dependency `@dynoxide/<platform>-<arch>`. */
export function dynoxideBinary() {
  const pkg = `@dynoxide/${process.platform}-${process.arch}`;
  try {
    const binary = join(dirname(require.resolve(`${pkg}/package.json`)), "dynoxide");
    if (existsSync(binary)) return binary;
  } catch {}
  throw new PrerequisiteError(
    `dynoxide, the DynamoDB engine for tests (no ${pkg} package installed for this platform)`,
    `npm install (the root package lists @dynoxide/linux-x64 as an optional dependency; on ${process.platform}-${process.arch} build dynoxide from source)`,
    "AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL, for every service)",
  );
}

/** Starts an in-memory dynoxide on a free loopback port; its data goes when it stops. */
export async function startDynoxide() {
  const binary = dynoxideBinary();
  const port = await freePort();
  const service = startService("dynoxide", binary, ["serve", "--host", "127.0.0.1", "--port", String(port)]);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil("dynoxide", async () => (await fetch(`${endpoint}/`)).ok, { alive: service.exited });
  } catch (error) {
    await service.stop("SIGKILL");
    throw error;
  }
  return { endpoint, port, service, stop: () => service.stop() };
}
