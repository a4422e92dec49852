import pg from "pg";
import { z } from "zod";
import { fromBase64 } from "../crypto/bytes.js";
import { cachedKeySource, type KeyDecrypter } from "../crypto/key-source.js";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import type { Logger } from "../observability.js";
import { preferTlsClient, tlsFor } from "./tls.js";

/** Where to connect, from a `postgres://` URL or a libpq `host=... dbname=... user=... [port=...]` string. */
export interface ConnectionSettings {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  /** libpq `sslmode`: `disable`, `allow`, `prefer` (default), `require`, `verify-ca`, `verify-full`. */
  sslmode?: string;
  /** libpq `sslrootcert`: CA bundle path for `verify-*` (say, the RDS global bundle). */
  sslrootcert?: string;
  applicationName?: string;
  connectTimeoutSeconds?: number;
}

const KEY_VALUE = /\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)/y;

/** Parses a libpq key/value connection string (quoted values with `\'` and `\\` escapes). */
function parseKeyValue(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  KEY_VALUE.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    if (/^\s*$/.test(text.slice(position))) break;
    KEY_VALUE.lastIndex = position;
    const match = KEY_VALUE.exec(text);
    if (!match) {
      throw new RecorderError(
        RecorderErrorCode.invalidArgument,
        `Connection string is malformed near "${text.slice(position, position + 20)}"`,
      );
    }
    const raw = match[2]!;
    values[match[1]!.toLowerCase()] = raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    position = KEY_VALUE.lastIndex;
  }
  return values;
}

const portSchema = z.coerce.number().int().min(1).max(65535);

/** Reads a `postgres://` URL or a libpq `key=value` string into connection settings. */
export function parseConnectionString(text: string): ConnectionSettings {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch (error) {
      throw new RecorderError(RecorderErrorCode.invalidArgument, "Connection URL is malformed", {
        cause: error,
      });
    }
    const settings: ConnectionSettings = {};
    if (url.hostname) settings.host = decodeURIComponent(url.hostname);
    if (url.port) settings.port = portSchema.parse(url.port);
    if (url.pathname.length > 1) settings.database = decodeURIComponent(url.pathname.slice(1));
    if (url.username) settings.user = decodeURIComponent(url.username);
    if (url.password) settings.password = decodeURIComponent(url.password);
    const sslmode = url.searchParams.get("sslmode");
    if (sslmode) settings.sslmode = sslmode;
    const sslrootcert = url.searchParams.get("sslrootcert");
    if (sslrootcert) settings.sslrootcert = sslrootcert;
    const app = url.searchParams.get("application_name");
    if (app) settings.applicationName = app;
    return settings;
  }
  const values = parseKeyValue(trimmed);
  const settings: ConnectionSettings = {};
  if (values.host ?? values.hostaddr) settings.host = values.host ?? values.hostaddr;
  if (values.port) {
    const port = portSchema.safeParse(values.port);
    if (!port.success)
      throw new RecorderError(RecorderErrorCode.invalidArgument, `port ${values.port} is not a port number`);
    settings.port = port.data;
  }
  if (values.dbname) settings.database = values.dbname;
  if (values.user) settings.user = values.user;
  if (values.password) settings.password = values.password;
  if (values.sslmode) settings.sslmode = values.sslmode;
  if (values.sslrootcert) settings.sslrootcert = values.sslrootcert;
  if (values.application_name) settings.applicationName = values.application_name;
  if (values.connect_timeout) settings.connectTimeoutSeconds = Number(values.connect_timeout);
  return settings;
}

/** A password, or a function that returns a fresh one (a KMS-decrypted secret, an RDS IAM token). */
export type PasswordProvider = () => string | Promise<string>;

/** Options of `createPgPool`. */
export interface PgPoolOptions {
  /** URL or libpq key/value string (`DB_CONNECTION_STRING`). */
  connectionString: string;
  /** A password, or a function called for every new connection (KMS-decrypted secret, RDS IAM token). */
  password?: string | PasswordProvider;
  /** Connections in the pool. Default 10. */
  max?: number;
  /** Fail a checkout after this long when the database is unreachable. Default 5000 ms. */
  connectionTimeoutMillis?: number;
  /**
   * TLS options, overriding `sslmode`. Without them the connection string's `sslmode` and
   * `sslrootcert` (or `PGSSLMODE` and `PGSSLROOTCERT`) decide, with libpq's meaning and
   * default: `prefer`, TLS whenever the server offers it.
   */
  ssl?: pg.PoolConfig["ssl"];
  logger?: Logger;
}

/**
 * A pool that survives database restarts: broken idle connections are dropped (and logged, not
 * thrown), and the next checkout reconnects, asking the password provider again.
 */
export function createPgPool(options: PgPoolOptions): pg.Pool {
  const settings = parseConnectionString(options.connectionString);
  const config: pg.PoolConfig = {
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    idleTimeoutMillis: 30_000,
  };
  if (settings.host) config.host = settings.host;
  if (settings.port) config.port = settings.port;
  if (settings.database) config.database = settings.database;
  if (settings.user) config.user = settings.user;
  if (settings.applicationName) config.application_name = settings.applicationName;
  const password = options.password ?? settings.password;
  if (password !== undefined) config.password = password;
  if (options.ssl !== undefined) config.ssl = options.ssl;
  else {
    const sslmode = settings.sslmode ?? process.env.PGSSLMODE;
    const sslrootcert = settings.sslrootcert ?? process.env.PGSSLROOTCERT;
    const tls = tlsFor({ ...(sslmode ? { sslmode } : {}), ...(sslrootcert ? { sslrootcert } : {}) });
    if (tls && "prefer" in tls)
      config.Client = preferTlsClient(tls.prefer, config.connectionTimeoutMillis ?? 5000);
    else config.ssl = tls;
  }
  const pool = new pg.Pool(config);
  pool.on("error", (error) => {
    options.logger?.warn("idle database connection lost; the pool will reconnect", { error: error.message });
  });
  return pool;
}

/** `ENCRYPTED_DATABASE_PASSWORD`: a base64 KMS ciphertext of the password, decrypted once per process. */
export function kmsEncryptedPassword(options: {
  ciphertext: string;
  decrypter: KeyDecrypter;
}): PasswordProvider {
  const source = cachedKeySource(async () => {
    const blob = fromBase64(options.ciphertext.trim(), "Encrypted database password");
    return options.decrypter.decrypt(blob);
  });
  return async () => Buffer.from(await source()).toString("utf8");
}
