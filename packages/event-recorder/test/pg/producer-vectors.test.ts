import { createCipheriv } from "node:crypto";
import { createKeyring, createRecorder, rawKey } from "@portside/event-recorder";
import { createPgEventReader, createPgEventSink, createPgQuarantineStore } from "@portside/event-recorder/pg";
import { describe, expect, it } from "vitest";
import { recorderDatabases, useRecorderDatabase } from "./databases.js";

const key = Buffer.from("6d795f70726f64756365725f6b65795f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f31", "hex");
const iv = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");

/** As the producers encrypt: Java's AES/CBC/PKCS5Padding, the 16-byte IV prepended, base64. */
function pkcs5(plaintext: string): string {
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** The other producer: pads to a multiple of 128 characters with chr(n), no automatic padding. */
function pad128(plaintext: string): string {
  const count = 128 - (plaintext.length % 128);
  const padded = Buffer.from(plaintext + String.fromCharCode(count).repeat(count), "latin1");
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
}

/** The JSON the producers write, byte for byte as they write it (nulls included). */
const produced = {
  hubRequest: `{"eventId":"2f0d6b1e-0001","eventType":"session_event","timestamp":"2018-02-10T13:00:00.000+01:00","originatingService":"saml-proxy","sessionId":"s-1","details":{"session_event_type":"hub_request","request_id":"_r1"}}`,
  errorEvent: `{"eventId":"2f0d6b1e-0002","eventType":"error_event","timestamp":"2018-02-10 12:00:01","originatingService":"saml-engine","sessionId":null,"details":{"message":"boom"}}`,
  billing: `{"eventId":"2f0d6b1e-0003","eventType":"session_event","timestamp":1518264002000,"originatingService":"saml-engine","sessionId":"s-2","details":{"session_event_type":"idp_authn_succeeded","pid":"pid-2","request_id":"_r2","idp_entity_id":"https://idp.example","minimum_level_of_assurance":"LEVEL_1","preferred_level_of_assurance":"","provided_level_of_assurance":"LEVEL_2","transaction_entity_id":null}}`,
  fraud: `{"eventId":"2f0d6b1e-0004","eventType":"session_event","timestamp":"2018-02-10","originatingService":"saml-engine","sessionId":"s-3","details":{"session_event_type":"fraud_detected","pid":"pid-3","idp_entity_id":"https://idp.example","idp_fraud_event_id":"f-3","gpg45_status":"IT01","transaction_entity_id":"https://rp.example"}}`,
  noDetails: `{"eventId":"2f0d6b1e-0005","eventType":"session_event","timestamp":"2018-02-10T12:00:03Z","originatingService":"","sessionId":"s-4","details":null}`,
  incompleteFraud: `{"eventId":"2f0d6b1e-0006","eventType":"session_event","timestamp":"2018-02-10T12:00:04","originatingService":"saml-engine","sessionId":"s-5","details":{"session_event_type":"fraud_detected","pid":"pid-5","idp_entity_id":"https://idp.example","idp_fraud_event_id":"f-5","transaction_entity_id":"https://rp.example"}}`,
  incompleteBilling: `{"eventId":"2f0d6b1e-0007","eventType":"session_event","timestamp":"2018-02-10T12:00:05","originatingService":"saml-engine","sessionId":"s-6","details":{"session_event_type":"idp_authn_succeeded","pid":"pid-6","request_id":"_r6"}}`,
};

const vectors = [
  { id: "m-1", body: pkcs5(produced.hubRequest) },
  { id: "m-2", body: pad128(produced.errorEvent) },
  { id: "m-3", body: pkcs5(produced.billing) },
  { id: "m-4", body: pad128(produced.fraud) },
  { id: "m-5", body: pad128(produced.noDetails) },
  { id: "m-6", body: pkcs5(produced.incompleteFraud) },
  { id: "m-7", body: pkcs5(produced.incompleteBilling) },
];

/** The rows the old service writes for those events (times as UTC wall-clock text). */
const oldServiceRows = {
  audit: [
    {
      event_id: "2f0d6b1e-0001",
      time_stamp: "2018-02-10 12:00:00",
      originating_service: "saml-proxy",
      session_id: "s-1",
      event_type: "session_event",
      details: { session_event_type: "hub_request", request_id: "_r1" },
    },
    {
      event_id: "2f0d6b1e-0002",
      time_stamp: "2018-02-10 12:00:01",
      originating_service: "saml-engine",
      session_id: null,
      event_type: "error_event",
      details: { message: "boom" },
    },
    {
      event_id: "2f0d6b1e-0003",
      time_stamp: "2018-02-10 12:00:02",
      originating_service: "saml-engine",
      session_id: "s-2",
      event_type: "session_event",
      details: JSON.parse(produced.billing).details,
    },
    {
      event_id: "2f0d6b1e-0004",
      time_stamp: "2018-02-10 00:00:00",
      originating_service: "saml-engine",
      session_id: "s-3",
      event_type: "session_event",
      details: JSON.parse(produced.fraud).details,
    },
    {
      event_id: "2f0d6b1e-0005",
      time_stamp: "2018-02-10 12:00:03",
      originating_service: "",
      session_id: "s-4",
      event_type: "session_event",
      details: null,
    },
  ],
  billing: [
    {
      time_stamp: "2018-02-10 12:00:02",
      session_id: "s-2",
      hashed_persistent_id: "pid-2",
      request_id: "_r2",
      idp_entity_id: "https://idp.example",
      minimum_level_of_assurance: "LEVEL_1",
      preferred_level_of_assurance: "",
      provided_level_of_assurance: "LEVEL_2",
      transaction_entity_id: null,
      event_id: "2f0d6b1e-0003",
    },
  ],
  fraud: [
    {
      time_stamp: "2018-02-10 00:00:00",
      session_id: "s-3",
      hashed_persistent_id: "pid-3",
      entity_id: "https://idp.example",
      fraud_event_id: "f-3",
      fraud_indicator: "IT01",
      event_id: "2f0d6b1e-0004",
      request_id: null,
      transaction_entity_id: "https://rp.example",
    },
  ],
};

describe.each(recorderDatabases)("producers' events on $label", ({ create }) => {
  const state = useRecorderDatabase(create);

  const table = async (name: string) => {
    const { rows } = await state.pool.query(
      `SELECT to_jsonb(t) - 'time_stamp' || jsonb_build_object('time_stamp', t.time_stamp::text) AS row
       FROM ${name} t ORDER BY event_id`,
    );
    return rows.map((r) => r.row);
  };

  it("writes the rows the old service writes, quarantines incomplete billing and fraud alike, and records repeats once", async () => {
    const quarantine = createPgQuarantineStore({ pool: state.pool });
    const recorder = createRecorder({
      keyring: createKeyring({ legacy: rawKey(key) }),
      sink: createPgEventSink({ pool: state.pool }),
      quarantine,
    });
    const first = await recorder.recordBatch(vectors);
    expect(first.results.map((r) => r.status)).toEqual([
      "recorded",
      "recorded",
      "recorded",
      "recorded",
      "recorded",
      "quarantined",
      "quarantined",
    ]);
    expect(await table("audit.audit_events")).toEqual(oldServiceRows.audit);
    expect(await table("billing.billing_events")).toEqual(oldServiceRows.billing);
    expect(await table("billing.fraud_events")).toEqual(oldServiceRows.fraud);

    const again = await recorder.recordBatch(vectors.map((v) => ({ ...v, id: `${v.id}-redelivered` })));
    expect(again.retryIds).toEqual([]);
    expect(again.results.map((r) => r.status)).toEqual([
      ...Array(5).fill("duplicate"),
      "quarantined",
      "quarantined",
    ]);
    expect(await table("audit.audit_events")).toEqual(oldServiceRows.audit);

    const { items } = await quarantine.list();
    expect(items.map((q) => [q.messageId, q.reason, q.attempts])).toEqual([
      ["m-6", "INVALID_EVENT", 2],
      ["m-7", "INVALID_EVENT", 2],
    ]);
    expect(items[0]!.detail).toContain("details.gpg45_status");
    expect(items[1]!.detail).toContain("details.idp_entity_id");

    const stored = await createPgEventReader({ pool: state.pool }).getEvent("2f0d6b1e-0003");
    expect(stored?.timestamp.toISOString()).toBe("2018-02-10T12:00:02.000Z");
    expect(stored?.billing?.transactionEntityId).toBeNull();
  });
});
