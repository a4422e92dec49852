import { randomUUID } from "node:crypto";

export function plainEvent(overrides: Record<string, unknown> = {}) {
  return {
    eventId: randomUUID(),
    eventType: "session_event",
    timestamp: Date.now(),
    originatingService: "saml-proxy",
    sessionId: randomUUID(),
    details: { session_event_type: "hub_request" },
    ...overrides,
  };
}

export function billingEvent() {
  return plainEvent({
    details: {
      session_event_type: "idp_authn_succeeded",
      pid: "pid",
      request_id: "req",
      idp_entity_id: "https://idp.example",
      minimum_level_of_assurance: "LEVEL_1",
      provided_level_of_assurance: "LEVEL_2",
      transaction_entity_id: "https://rp.example",
    },
  });
}
