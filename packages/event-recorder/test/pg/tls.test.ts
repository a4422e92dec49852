import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPgPool } from "@portside/event-recorder/pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Cluster {
  url: string;
  port: number;
  dataDir: string;
  user: { uid: number; gid: number } | null;
  stop(): Promise<void>;
}
const helper = fileURLToPath(new URL("../../../../scripts/lib/postgres.mjs", import.meta.url));

const openssl = (dir: string, ...args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** A CA, a server certificate it signed for the name "localhost" only, and an unrelated CA. */
function certificates(dir: string) {
  openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=test-ca",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  openssl(
    dir,
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  );
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost\n");
  openssl(
    dir,
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.pem",
  );
  openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=other-ca",
    "-keyout",
    "other.key",
    "-out",
    "other.pem",
  );
}

let cluster: Cluster;
let certs: string;
beforeAll(async () => {
  const { startPostgres } = (await import(helper)) as { startPostgres: () => Promise<Cluster> };
  cluster = await startPostgres();
  certs = mkdtempSync(join(tmpdir(), "recorder-tls-"));
  certificates(certs);
  // The server reads its key from its data directory, owned by the account it runs as.
  for (const file of ["server.pem", "server.key"]) {
    const target = join(cluster.dataDir, file);
    writeFileSync(target, readFileSync(join(certs, file)), { mode: 0o600 });
    if (cluster.user) chownSync(target, cluster.user.uid, cluster.user.gid);
  }
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query("ALTER SYSTEM SET ssl = on");
    await admin.query("ALTER SYSTEM SET ssl_cert_file = 'server.pem'");
    await admin.query("ALTER SYSTEM SET ssl_key_file = 'server.key'");
    await admin.query("SELECT pg_reload_conf()");
  } finally {
    await admin.end();
  }
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  if (certs) rmSync(certs, { recursive: true, force: true });
});

/** Connects as the recorder would and says whether the session is encrypted. */
async function encrypted(connectionString: string): Promise<boolean> {
  const pool = createPgPool({ connectionString, max: 1, connectionTimeoutMillis: 3000 });
  try {
    const { rows } = await pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    return rows[0].ssl;
  } finally {
    await pool.end();
  }
}

const on = (host: string, params: string) => `postgres://postgres@${host}:${cluster.port}/postgres?${params}`;

describe("libpq sslmode against a server with TLS on", () => {
  it("prefers TLS by default, and disable turns it off", async () => {
    expect(await encrypted(on("127.0.0.1", ""))).toBe(true);
    expect(await encrypted(on("127.0.0.1", "sslmode=prefer"))).toBe(true);
    expect(await encrypted(on("127.0.0.1", "sslmode=disable"))).toBe(false);
    expect(await encrypted(`host=127.0.0.1 port=${cluster.port} user=postgres dbname=postgres`)).toBe(true);
  });

  it("require encrypts without checking the certificate", async () => {
    expect(await encrypted(on("127.0.0.1", "sslmode=require"))).toBe(true);
  });

  it("verify-full checks the chain against the CA bundle and the host name", async () => {
    const ca = join(certs, "ca.pem");
    expect(await encrypted(on("localhost", `sslmode=verify-full&sslrootcert=${ca}`))).toBe(true);
    expect(
      await encrypted(
        `host=localhost port=${cluster.port} user=postgres dbname=postgres sslmode=verify-full sslrootcert='${ca}'`,
      ),
    ).toBe(true);
    await expect(encrypted(on("127.0.0.1", `sslmode=verify-full&sslrootcert=${ca}`))).rejects.toThrow(
      /altnames|IP: 127\.0\.0\.1/,
    );
    await expect(
      encrypted(on("localhost", `sslmode=verify-full&sslrootcert=${join(certs, "other.pem")}`)),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    // verify-ca: the chain only, so the address need not be in the certificate.
    expect(await encrypted(on("127.0.0.1", `sslmode=verify-ca&sslrootcert=${ca}`))).toBe(true);
  });
});

describe("libpq sslmode against a server without TLS (the shared test cluster)", () => {
  it("prefer falls back to plain text; require refuses", async () => {
    const url = process.env.DATABASE_URL!;
    expect(await encrypted(url)).toBe(false);
    await expect(encrypted(`${url}?sslmode=require`)).rejects.toThrow(/does not support SSL/);
  });

  it("rejects an sslmode libpq does not know", () => {
    expect(() => createPgPool({ connectionString: `${process.env.DATABASE_URL}?sslmode=maybe` })).toThrow(
      /sslmode "maybe"/,
    );
  });
});
