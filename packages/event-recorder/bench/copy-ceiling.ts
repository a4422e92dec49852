import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { RoutedEvent } from "../src/index.js";
import { type Cell, rowValues, TABLES } from "./row-values.js";

/** One row of COPY's text format: tab-separated, `\N` for null, backslash escapes. */
function copyLine(cells: readonly Cell[]): string {
  return `${cells
    .map((cell) =>
      cell === null
        ? "\\N"
        : cell.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r"),
    )
    .join("\t")}\n`;
}

async function copyRows(
  client: pg.PoolClient,
  table: { name: string; columns: string },
  lines: string[],
): Promise<void> {
  if (lines.length === 0) return;
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) chunks.push(lines.slice(i, i + 1000).join(""));
  const stream = client.query(copyFrom(`COPY ${table.name} (${table.columns}) FROM STDIN`));
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
  for (const event of events) {
    const rows = rowValues(event);
    audit.push(copyLine(rows.audit));
    if (rows.billing) billing.push(copyLine(rows.billing));
    if (rows.fraud) fraud.push(copyLine(rows.fraud));
  }
  await client.query("BEGIN");
  await copyRows(client, TABLES.audit, audit);
  await copyRows(client, TABLES.billing, billing);
  await copyRows(client, TABLES.fraud, fraud);
  await client.query("COMMIT");
}
