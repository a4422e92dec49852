import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { run, startService } from "./child.mjs";
import { freePort } from "./free-port.mjs";
import { PrerequisiteError } from "./prerequisite-error.mjs";
import { waitUntil } from "./wait-until.mjs";

function findBinDir() {
  const candidates = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(run("pg_config", ["--bindir"]).trim());
  } catch {}
  if (existsSync("/usr/lib/postgresql")) {
    for (const version of readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))) {
      candidates.push(`/usr/lib/postgresql/${version}/bin`);
    }
  }
  for (const dir of (process.env.PATH ?? "").split(":")) candidates.push(dir);
  return candidates.find(
    (dir) => dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres")),
  );
}

/** initdb and postgres refuse to run as root: run them as an unprivileged account that owns the data dir. */
function serviceUser() {
  if (process.getuid?.() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(run("id", ["-u", name]).trim());
      const gid = Number(run("id", ["-g", name]).trim());
      return { name, uid, gid };
    } catch {}
  }
  throw new Error("running as root, but there is no 'postgres' or 'nobody' account to run PostgreSQL as");
}

function asUser(user) {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

/**
 * Starts a throwaway PostgreSQL cluster on a free loopback port, trust auth, tuned for tests.
 * To restart a stopped cluster (a test that stops the database mid-stream), pass the `dataDir`
 * and `port` it had: its data is reused, not initialised, and `stop()` leaves the directory to
 * the cluster that created it. Tests run without fsync; `durable: true` keeps PostgreSQL's
 * defaults, so a benchmark pays for each commit what a real database charges.
 */
export async function startPostgres({ dataDir: existingDataDir, port: fixedPort, durable = false } = {}) {
  const binDir = findBinDir();
  if (!binDir) {
    throw new PrerequisiteError(
      "PostgreSQL binaries (initdb, postgres)",
      "apt-get install postgresql (or your platform's PostgreSQL server package)",
      "DATABASE_URL",
    );
  }
  const user = serviceUser();
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), "portside-pg-"));
  const cleanup = existingDataDir ? () => {} : () => rmSync(dataDir, { recursive: true, force: true });
  if (!existingDataDir) {
    if (user) {
      chownSync(dataDir, user.uid, user.gid);
      chmodSync(dataDir, 0o700);
    }
    try {
      run(
        join(binDir, "initdb"),
        ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
        asUser(user),
      );
    } catch (error) {
      cleanup();
      throw error;
    }
  }
  const port = fixedPort ?? (await freePort());
  const settings = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: dataDir,
    ...(durable ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
    max_connections: "300",
    shared_buffers: "256MB",
  };
  const args = ["-D", dataDir, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const service = startService("postgres", join(binDir, "postgres"), args, asUser(user));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitUntil(
      "PostgreSQL",
      async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.end();
        return true;
      },
      { alive: service.exited },
    );
  } catch (error) {
    await service.stop("SIGKILL");
    cleanup();
    throw error;
  }
  return {
    url,
    port,
    dataDir,
    binDir,
    user,
    service,
    async stop() {
      await service.stop("SIGINT");
      cleanup();
    },
  };
}
