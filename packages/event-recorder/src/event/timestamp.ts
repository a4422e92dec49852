/**
 * The formats the old service parsed: ISO-8601 with `T` or a space, with or without seconds,
 * fraction and offset (`Z`, `+01`, `+0100`, `+01:00`), or a date alone (midnight). No offset
 * means UTC. Numbers are epoch milliseconds.
 */
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function offset(zone: string | undefined): string {
  if (!zone || zone.toUpperCase() === "Z") return "Z";
  const digits = zone.slice(1).replace(":", "");
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || "00"}`;
}

/** A timestamp as producers send it, or `undefined` when it is none of the accepted forms. */
export function toTimestamp(value: unknown): Date | undefined {
  let date: Date;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    date = new Date(value);
  } else if (typeof value === "string") {
    const match = DATE_TIME.exec(value.trim());
    if (!match) return undefined;
    const [, day, minutes, seconds, fraction, zone] = match;
    // Date rolls 2026-02-30 over to March: a day the calendar lacks is refused instead.
    const midnight = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(midnight.getTime()) || midnight.toISOString().slice(0, 10) !== day) return undefined;
    const millis = (fraction ?? "").padEnd(3, "0").slice(0, 3);
    date =
      minutes === undefined
        ? midnight
        : new Date(`${day}T${minutes}${seconds ?? ":00"}.${millis}${offset(zone)}`);
  } else {
    return undefined;
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}
