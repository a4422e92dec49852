import { createKeyring, createRecorder, encryptV2, rawKey } from "@portside/event-recorder";
import { createPgEventSink, createPgPool, createPgQuarantineStore } from "@portside/event-recorder/pg";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "#test-support";
import { runCli } from "../src/cli-commands.js";
import { auditEvent } from "./fixtures.js";

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool({ connectionString: db.url });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { DB_CONNECTION_STRING: db.url, RECORDER_KEYS: `k9=${Buffer.alloc(32, 9).toString("base64")}` };
  const code = await runCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("portside-recorder CLI", () => {
  it("says what migrate would do, migrates, then reports nothing to do", async () => {
    const check = await cli("migrate", "--check");
    expect(check.out).toBe(
      "would apply 1 audit and billing tables (the existing service's schema)\n" +
        "would apply 2 quarantine keyed by content\nschema at version 0",
    );
    expect((await pool.query("SELECT to_regclass('audit.audit_events') AS t")).rows[0].t).toBeNull();
    const first = await cli("migrate");
    expect(first.code).toBe(0);
    expect(first.out).toContain("applied 1 audit and billing tables");
    expect((await cli("migrate")).out).toContain("nothing to do");
    expect((await cli("migrate", "--to", "1", "--check")).out).toContain("would revert 2 quarantine");
  });

  it("lists quarantined messages and replays them once the key is known", async () => {
    await cli("migrate");
    const key = Buffer.alloc(32, 9);
    const quarantine = createPgQuarantineStore({ pool });
    const recorder = createRecorder({
      keyring: createKeyring({ keys: { other: rawKey(Buffer.alloc(32, 1)) } }),
      sink: createPgEventSink({ pool }),
      quarantine,
    });
    const event = auditEvent();
    await recorder.recordBatch([{ id: "cli-1", body: encryptV2(JSON.stringify(event), "k9", key) }]);

    const listed = await cli("quarantine", "list", "--json");
    const page = JSON.parse(listed.out) as { items: { id: string; messageId: string; reason: string }[] };
    expect(page.items).toMatchObject([{ messageId: "cli-1", reason: "UNDECRYPTABLE" }]);
    const id = page.items[0]!.id;
    expect((await cli("quarantine", "show", id)).out).toContain('"messageId": "cli-1"');

    const replay = await cli("quarantine", "replay", id);
    expect(replay).toMatchObject({ code: 0, out: `replayed ${id}` });
    const { rows } = await pool.query("SELECT event_id FROM audit.audit_events WHERE event_id = $1", [
      event.eventId,
    ]);
    expect(rows).toHaveLength(1);
    expect((await cli("quarantine", "list")).out).toBe("");
    expect((await cli("quarantine", "list", "--all")).out).toContain("replayed");
  });

  it("explains usage and fails on unknown commands or a missing connection string", async () => {
    expect((await cli("frobnicate")).code).toBe(2);
    const none = await runCli(["migrate"], {}, { out: () => {}, err: () => {} });
    expect(none).toBe(2);
    expect((await cli("quarantine", "show", "999999")).code).toBe(1);
  });
});
