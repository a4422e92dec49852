import { fileURLToPath } from "node:url";

export interface ThrowawayCluster {
  url: string;
  port: number;
  dataDir: string;
  service: { stop(signal?: string): Promise<void> };
  stop(): Promise<void>;
}

type StartPostgres = (options?: { dataDir?: string; port?: number }) => Promise<ThrowawayCluster>;

const helper = fileURLToPath(new URL("../../../../scripts/lib/postgres.mjs", import.meta.url));

/**
 * A PostgreSQL cluster of this test's own (not the shared one), which the test can stop and
 * start again on the same port and data directory.
 */
export async function startThrowawayPostgres() {
  const { startPostgres } = (await import(helper)) as { startPostgres: StartPostgres };
  const first = await startPostgres();
  let current: ThrowawayCluster = first;
  return {
    url: first.url,
    /** Fast shutdown: open transactions are aborted, connections dropped. */
    async stopServer() {
      await current.service.stop("SIGINT");
    },
    async startServer() {
      current = await startPostgres({ dataDir: first.dataDir, port: first.port });
    },
    async destroy() {
      await current.service.stop("SIGINT");
      await first.stop();
    },
  };
}
