import { createCipheriv, randomBytes } from "node:crypto";
import { createKeyring, createRecorder, encryptLegacy, rawKey } from "@portside/event-recorder";
import { createPgEventSink, createPgQuarantineStore } from "@portside/event-recorder/pg";
import { describe, expect, it } from "vitest";
import { auditEvent, legacyKey } from "../fixtures.js";
import { recorderDatabases, useRecorderDatabase } from "./databases.js";

const encrypt = (event: unknown) => encryptLegacy(JSON.stringify(event), legacyKey);

/** `details` nested `depth` deep, written as text: JSON.stringify itself overflows the stack on it. */
function deeplyNested(depth: number): string {
  const json = JSON.stringify(auditEvent({ details: { placeholder: true } }));
  return json.replace('{"placeholder":true}', `${'{"next":'.repeat(depth)}"bottom"${"}".repeat(depth)}`);
}

/** A legacy body whose plaintext is not UTF-8 (0xff 0xfe inside the JSON). */
function invalidUtf8Body(): string {
  const plaintext = Buffer.concat([
    Buffer.from('{"eventId":"'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}'),
  ]);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", legacyKey, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]).toString("base64");
}

const poison = () => [
  { id: "deep", body: encryptLegacy(deeplyNested(5000), legacyKey) },
  { id: "nul-in-details", body: encrypt(auditEvent({ details: { note: "a\u0000b" } })) },
  { id: "nul-in-body", body: `not base64\u0000at all` },
  { id: "invalid-utf8", body: invalidUtf8Body() },
  { id: "one-megabyte", body: encrypt(auditEvent({ details: { blob: "x".repeat(1024 * 1024) } })) },
];

describe.each(recorderDatabases)("poison on $label", ({ create }) => {
  const state = useRecorderDatabase(create);

  it("is quarantined once each, re-sent or not, and never holds back a neighbour", async () => {
    const quarantine = createPgQuarantineStore({ pool: state.pool });
    const recorder = createRecorder({
      keyring: createKeyring({ legacy: rawKey(legacyKey) }),
      sink: createPgEventSink({ pool: state.pool }),
      quarantine,
    });
    const cases = poison();
    const neighbours = cases.map((c) => ({ id: `${c.id}-neighbour`, event: auditEvent() }));
    const batch = cases.flatMap((c, i) => [
      c,
      { id: neighbours[i]!.id, body: encrypt(neighbours[i]!.event) },
    ]);

    for (const round of [1, 2]) {
      const { results, retryIds } = await recorder.recordBatch(
        batch.map((m) => ({ ...m, id: `${m.id}-${round}` })),
      );
      expect(retryIds).toEqual([]);
      expect(results.map((r) => r.status)).toEqual(
        cases.flatMap(() => ["quarantined", round === 1 ? "recorded" : "duplicate"]),
      );
    }

    const { rows } = await state.pool.query(
      "SELECT count(*)::int AS n FROM audit.audit_events WHERE event_id = ANY($1)",
      [neighbours.map((n) => n.event.eventId)],
    );
    expect(rows[0].n).toBe(cases.length);

    const { items } = await quarantine.list({ limit: 100 });
    const byMessage = new Map(items.map((q) => [q.messageId, q]));
    expect(
      [...byMessage.values()]
        .map((q) => [q.messageId, q.reason, q.attempts])
        .sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    ).toEqual([
      ["deep-1", "INVALID_EVENT", 2],
      ["invalid-utf8-1", "UNDECRYPTABLE", 2],
      ["nul-in-body-1", "UNDECRYPTABLE", 2],
      ["nul-in-details-1", "REJECTED_BY_SINK", 2],
      ["one-megabyte-1", "INVALID_EVENT", 2],
    ]);
    // Kept whole where it fits, the NUL body too (stored as base64): it comes back as it arrived.
    expect(byMessage.get("nul-in-body-1")!.body).toBe(cases[2]!.body);
    expect(byMessage.get("deep-1")!.body).toBe(cases[0]!.body);
    expect(byMessage.get("one-megabyte-1")!.body.length).toBeLessThanOrEqual(1024 * 1024);
  });
});
