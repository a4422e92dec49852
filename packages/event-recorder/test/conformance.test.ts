import { createMemoryEventSink } from "@portside/event-recorder";
import { createPgEventReader, createPgEventSink } from "@portside/event-recorder/pg";
import { eventSinkConformance } from "@portside/event-recorder/testing";
import { describe } from "vitest";
import { recorderDatabases, useRecorderDatabase } from "./pg/databases.js";

eventSinkConformance("memory", async () => {
  const sink = createMemoryEventSink();
  return { sink, reader: sink };
});

describe.each(recorderDatabases)("on $label", ({ create }) => {
  const state = useRecorderDatabase(create);

  // The writer role may DELETE (not TRUNCATE): empty the tables as it can.
  eventSinkConformance("PostgreSQL", async () => {
    await state.pool.query(
      "DELETE FROM billing.fraud_events; DELETE FROM billing.billing_events; DELETE FROM audit.audit_events",
    );
    return {
      sink: createPgEventSink({ pool: state.pool }),
      reader: createPgEventReader({ pool: state.pool }),
    };
  });
});
