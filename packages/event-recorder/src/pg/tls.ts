import { readFileSync } from "node:fs";
import { connect } from "node:net";
import type { ConnectionOptions } from "node:tls";
import pg from "pg";
import { RecorderError, RecorderErrorCode } from "../errors.js";

/** libpq's `sslmode` values. `prefer` is libpq's default, and this package's. */
export const SslMode = {
  disable: "disable",
  allow: "allow",
  prefer: "prefer",
  require: "require",
  verifyCa: "verify-ca",
  verifyFull: "verify-full",
} as const;
export type SslMode = (typeof SslMode)[keyof typeof SslMode];

const modes = new Set<string>(Object.values(SslMode));

export interface TlsSettings {
  sslmode?: string;
  /** CA bundle path (libpq `sslrootcert`), e.g. the RDS global bundle. */
  sslrootcert?: string;
}

/**
 * What a libpq `sslmode` means for node-postgres: `false` (plain), TLS options, or `prefer`
 * (TLS when the server offers it, plain when it does not). As in libpq, `require` with a CA
 * bundle verifies the chain like `verify-ca`; `verify-ca` checks the chain, `verify-full` also
 * the host name; `allow` connects plain.
 */
export function tlsFor(settings: TlsSettings): false | ConnectionOptions | { prefer: ConnectionOptions } {
  const mode = settings.sslmode ?? SslMode.prefer;
  if (!modes.has(mode)) {
    throw new RecorderError(
      RecorderErrorCode.invalidArgument,
      `sslmode "${mode}" is not one of ${[...modes].join(", ")}`,
    );
  }
  if (mode === SslMode.disable || mode === SslMode.allow) return false;
  const ca = settings.sslrootcert ? readCa(settings.sslrootcert) : undefined;
  const verify = mode === SslMode.verifyFull || mode === SslMode.verifyCa || (mode === SslMode.require && ca);
  const options: ConnectionOptions = verify ? { rejectUnauthorized: true } : { rejectUnauthorized: false };
  if (ca) options.ca = ca;
  if (verify && mode !== SslMode.verifyFull) options.checkServerIdentity = () => undefined;
  return mode === SslMode.prefer ? { prefer: options } : options;
}

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new RecorderError(RecorderErrorCode.invalidArgument, `Cannot read sslrootcert ${path}`, {
      cause: error,
    });
  }
}

/** Asks the server, as libpq does first, whether it speaks TLS (`SSLRequest`: 'S' or 'N'). */
export function serverOffersTls(host: string, port: number, timeoutMillis: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMillis, () => socket.destroy(new Error(`No answer from ${host}:${port}`)));
    socket.once("connect", () => socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data[0] === 0x53);
    });
    socket.once("error", reject);
  });
}

/**
 * A pool client for `sslmode=prefer`: before its first connection the pool asks the server
 * whether it offers TLS and remembers the answer; every connection then uses TLS if so, plain
 * text if not (libpq asks on every connection; a server does not change its mind mid-pool).
 */
export function preferTlsClient(options: ConnectionOptions, timeoutMillis: number): typeof pg.Client {
  let offered: Promise<boolean> | undefined;
  const decide = async (client: pg.Client) => {
    const host = client.host ?? "localhost";
    let tls = false;
    if (!host.startsWith("/")) {
      offered ??= serverOffersTls(host, client.port ?? 5432, timeoutMillis).catch((error) => {
        offered = undefined;
        throw error;
      });
      tls = await offered;
    }
    // node-postgres reads these when it connects; a connected client is never changed.
    if (!tls) {
      (client as unknown as { ssl: unknown }).ssl = false;
      (client as unknown as { connection: { ssl: unknown } }).connection.ssl = false;
    }
  };
  class PreferTlsClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, ssl: options });
    }
  }
  const connect = pg.Client.prototype.connect as (this: pg.Client) => Promise<unknown>;
  // Both of pg.Client's forms: the pool passes a callback.
  (PreferTlsClient.prototype as { connect: unknown }).connect = function (
    this: pg.Client,
    callback?: (error: Error | null, client?: pg.Client) => void,
  ) {
    const connected = decide(this).then(() => connect.call(this));
    if (!callback) return connected.then(() => this);
    connected.then(
      () => callback(null, this),
      (error: Error) => callback(error),
    );
  };
  return PreferTlsClient;
}
