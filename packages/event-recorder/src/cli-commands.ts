import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };
import { type KeySource, rawKey } from "./crypto/key-source.js";
import { createKeyring } from "./crypto/keyring.js";
import { RecorderError } from "./errors.js";
import { createRecorder } from "./recorder.js";

export const usage = `portside-recorder: migrations and quarantine of @portside/event-recorder

Usage:
  portside-recorder --help | --version
  portside-recorder migrate [--check] [--to VERSION]
  portside-recorder quarantine list [--limit N] [--cursor C] [--all] [--json]
  portside-recorder quarantine show <id>
  portside-recorder quarantine replay [<id>...] [--limit N]

migrate brings the schema to the package's (run it once as the schema's owner; the writer's
run then only reads); --check says what it would do and changes nothing; --to reverts to an
older version (0: the schema before the package, records kept).

Environment:
  DB_CONNECTION_STRING or DATABASE_URL   postgres:// URL or libpq "host=... dbname=... user=..."
  PGPASSWORD                             password, when not in the connection string
  RECORDER_LEGACY_KEY                    (replay) base64 key of the legacy format
  RECORDER_KEYS                          (replay) v2 keys: "id=base64,id2=base64"
Keys held in KMS or S3: replay through the API (recorder.replay) with the adapters of
@portside/adapters-aws, or decrypt them into these variables first.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

function keySources(env: Record<string, string | undefined>) {
  const keys: Record<string, KeySource> = {};
  for (const pair of (env.RECORDER_KEYS ?? "").split(",").filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at < 1) throw new RecorderError("INVALID_ARGUMENT", `RECORDER_KEYS entry "${pair}" is not id=base64`);
    keys[pair.slice(0, at).trim()] = rawKey(pair.slice(at + 1).trim());
  }
  return { keys, ...(env.RECORDER_LEGACY_KEY ? { legacy: rawKey(env.RECORDER_LEGACY_KEY) } : {}) };
}

/** Runs one CLI command; resolves with the process exit code. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        limit: { type: "string" },
        cursor: { type: "string" },
        all: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        to: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const [command, sub, ...rest] = parsed.positionals;
  if (parsed.values.version) {
    io.out(packageJson.version);
    return 0;
  }
  if (parsed.values.help || !command) {
    io.out(usage);
    return command || parsed.values.help ? 0 : 2;
  }
  const connectionString = env.DB_CONNECTION_STRING ?? env.DATABASE_URL;
  if (!connectionString) {
    io.err("Set DB_CONNECTION_STRING or DATABASE_URL");
    return 2;
  }
  const limit = parsed.values.limit === undefined ? undefined : Number(parsed.values.limit);
  // pg is an optional peer: loaded only for a command that needs the database, so --help runs without it.
  const { createPgEventSink, createPgPool, createPgQuarantineStore, migrate } = await import("./pg/index.js");
  const pool = createPgPool({
    connectionString,
    ...(env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
    max: 2,
  });
  try {
    if (command === "migrate") {
      const to = parsed.values.to === undefined ? undefined : Number(parsed.values.to);
      if (to !== undefined && !(Number.isInteger(to) && to >= 0)) {
        io.err(`--to ${parsed.values.to} is not a version number`);
        return 2;
      }
      const { applied, pending, current } = await migrate(pool, {
        check: parsed.values.check,
        ...(to !== undefined ? { to } : {}),
      });
      const verb = to !== undefined && to < current ? "revert" : "apply";
      for (const m of pending) io.out(`would ${verb} ${m.version} ${m.name}`);
      for (const m of applied) io.out(`${verb === "revert" ? "reverted" : "applied"} ${m.version} ${m.name}`);
      const nothing = applied.length === 0 && pending.length === 0;
      io.out(`schema at version ${current}${nothing ? " (nothing to do)" : ""}`);
      return 0;
    }
    if (command === "quarantine") {
      const store = createPgQuarantineStore({ pool });
      if (sub === "list") {
        const page = await store.list({
          ...(limit !== undefined ? { limit } : {}),
          ...(parsed.values.cursor ? { cursor: parsed.values.cursor } : {}),
          includeReplayed: parsed.values.all,
        });
        if (parsed.values.json) io.out(JSON.stringify(page));
        else {
          for (const q of page.items) {
            const state = q.replayedAt ? `replayed ${q.replayedAt.toISOString()}` : `attempts ${q.attempts}`;
            io.out(
              `${q.id}\t${q.quarantinedAt.toISOString()}\t${q.messageId}\t${q.reason}\t${state}\t${q.detail}`,
            );
          }
          if (page.next) io.out(`more: --cursor ${page.next}`);
        }
        return 0;
      }
      if (sub === "show" && rest[0]) {
        const entry = await store.get(rest[0]);
        if (!entry) {
          io.err(`No quarantined message ${rest[0]}`);
          return 1;
        }
        io.out(JSON.stringify(entry, null, 2));
        return 0;
      }
      if (sub === "replay") {
        const recorder = createRecorder({
          keyring: createKeyring(keySources(env)),
          sink: createPgEventSink({ pool }),
          quarantine: store,
        });
        const result = await recorder.replay(store, {
          ...(rest.length > 0 ? { ids: rest } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        for (const id of result.replayed) io.out(`replayed ${id}`);
        for (const f of result.failed) io.out(`still failing ${f.id}: ${f.reason} ${f.detail}`);
        return result.failed.length > 0 ? 1 : 0;
      }
    }
    io.err(`Unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${usage}`);
    return 2;
  } catch (error) {
    const code = error instanceof RecorderError ? ` [${error.code}]` : "";
    io.err(`${(error as Error).message}${code}`);
    return 1;
  } finally {
    await pool.end();
  }
}
