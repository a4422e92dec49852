import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { RoutedEvent } from "../src/index.js";

type Cell = string | null | undefined;

/** One row of COPY's text format: tab-separated, `\N` for null, backslash escapes. */
function copyLine(cells: readonly Cell[]): string {
  return `${cells
    .map((cell) =>
      cell === null || cell === undefined
        ? "\\N"
        : cell.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r"),
    )
    .join("\t")}\n`;
}

async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: string,
  lines: string[],
): Promise<void> {
  if (lines.length === 0) return;
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) chunks.push(lines.slice(i, i + 1000).join(""));
  const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
}

/**
 * The ceiling (b): the routed rows, already decoded, written with COPY into the three tables in
 * one transaction. No duplicate check, no validation: the least work PostgreSQL can be given.
 */
export async function copyCeiling(client: pg.PoolClient, events: readonly RoutedEvent[]): Promise<void> {
  const audit: string[] = [];
  const billing: string[] = [];
  const fraud: string[] = [];
  for (const { audit: a, billing: b, fraud: f } of events) {
    audit.push(
      copyLine([
        a.eventId,
        a.eventType,
        a.timestamp.toISOString(),
        a.originatingService,
        a.sessionId,
        JSON.stringify(a.details),
      ]),
    );
    if (b) {
      billing.push(
        copyLine([
          b.eventId,
          b.timestamp.toISOString(),
          b.sessionId,
          b.hashedPersistentId,
          b.requestId,
          b.idpEntityId,
          b.minimumLevelOfAssurance,
          b.preferredLevelOfAssurance,
          b.providedLevelOfAssurance,
          b.transactionEntityId,
        ]),
      );
    }
    if (f) {
      fraud.push(
        copyLine([
          f.eventId,
          f.timestamp.toISOString(),
          f.sessionId,
          f.hashedPersistentId,
          f.entityId,
          f.fraudEventId,
          f.fraudIndicator,
          f.requestId,
          f.transactionEntityId,
        ]),
      );
    }
  }
  await client.query("BEGIN");
  await copyRows(
    client,
    "audit.audit_events",
    "event_id, event_type, time_stamp, originating_service, session_id, details",
    audit,
  );
  await copyRows(
    client,
    "billing.billing_events",
    "event_id, time_stamp, session_id, hashed_persistent_id, request_id, idp_entity_id, minimum_level_of_assurance, preferred_level_of_assurance, provided_level_of_assurance, transaction_entity_id",
    billing,
  );
  await copyRows(
    client,
    "billing.fraud_events",
    "event_id, time_stamp, session_id, hashed_persistent_id, entity_id, fraud_event_id, fraud_indicator, request_id, transaction_entity_id",
    fraud,
  );
  await client.query("COMMIT");
}
