import type { Actor } from "../model/actor.js";
import type { Entity } from "../model/entity.js";
import type { SearchFilter } from "../search/filter.js";
import type { RegistryService } from "../service/registry-service.js";

/** The formats entities export to. */
export const ExportFormat = { csv: "csv", ndjson: "ndjson" } as const;
/** One of the formats of `ExportFormat`. */
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

/** The content type of each export format. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson",
};

/** Text cells a spreadsheet would run as a formula; they get a leading `'`, which the CSV import strips again. */
export const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  let text = Array.isArray(value)
    ? value.every((v) => typeof v === "string")
      ? value.join(";")
      : JSON.stringify(value)
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Streams every entity of a type, or of a search, as CSV (an `id` column then one per field,
 * re-importable) or NDJSON (whole entities), page by page as the consumer reads.
 */
export async function exportEntities(
  service: RegistryService,
  actor: Actor,
  typeName: string,
  options: { format: ExportFormat; filter?: SearchFilter },
): Promise<ReadableStream<Uint8Array>> {
  const type = await service.getType(actor, typeName);
  const entities = service.searchAll(actor, typeName, {
    ...options.filter,
    cursor: options.filter?.cursor ?? null,
  });
  const encoder = new TextEncoder();
  const columns = type.fields.map((f) => f.name);
  let headerSent = options.format !== "csv";
  const line = (entity: Entity) =>
    options.format === "csv"
      ? `${[csvCell(entity.id), ...columns.map((c) => csvCell(entity.data[c]))].join(",")}\r\n`
      : `${JSON.stringify(entity)}\n`;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${["id", ...columns].map(csvCell).join(",")}\r\n`));
        return;
      }
      let text = "";
      for (let i = 0; i < 200; i++) {
        const next = await entities.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += line(next.value);
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await entities.return(undefined);
    },
  });
}
