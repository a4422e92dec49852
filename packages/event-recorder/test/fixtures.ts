import { randomUUID } from "node:crypto";

export const legacyKey = Buffer.from(
  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
  "hex",
);
export const v2Key = Buffer.alloc(32, 7);

export function auditEvent(overrides: Record<string, unknown> = {}) {
  return {
    eventId: randomUUID(),
    eventType: "session_event",
    timestamp: 1_700_000_000_000,
    originatingService: "saml-engine",
    sessionId: `session-${randomUUID()}`,
    details: { session_event_type: "hub_request", note: "plain" },
    ...overrides,
  };
}

export function billingEvent(overrides: Record<string, unknown> = {}) {
  return auditEvent({
    details: {
      session_event_type: "idp_authn_succeeded",
      pid: "hashed-pid",
      request_id: "request-1",
      idp_entity_id: "https://idp.example",
      minimum_level_of_assurance: "LEVEL_1",
      preferred_level_of_assurance: "LEVEL_2",
      provided_level_of_assurance: "LEVEL_2",
      transaction_entity_id: "https://rp.example",
    },
    ...overrides,
  });
}

export function fraudEvent(overrides: Record<string, unknown> = {}) {
  return auditEvent({
    details: {
      session_event_type: "fraud_detected",
      pid: "hashed-pid",
      idp_entity_id: "https://idp.example",
      idp_fraud_event_id: "fraud-1",
      gpg45_status: "IT01",
      request_id: "request-2",
      transaction_entity_id: "https://rp.example",
    },
    ...overrides,
  });
}
