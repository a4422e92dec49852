import type { FieldType } from "../model/field.js";

/** Separates a value's key from the entity id in composite index keys; sorts below every value character. */
export const KEY_SEPARATOR = "\u0001";
/** Sorts above the separator and below every printable character: `v + KEY_CEILING` bounds all keys of value v. */
export const KEY_CEILING = "\u0002";
/** Sorts above every character of keys and ids: `p + KEY_MAX` bounds all keys starting with p. */
export const KEY_MAX = "\u{10FFFF}";

/** Largest indexed value key, in UTF-8 bytes (DynamoDB sort keys stop at 1024). */
export const MAX_INDEX_KEY_BYTES = 512;

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the key separators a value must not contain
const CONTROL = /[\u0000-\u0002]/g;

const buffer = new DataView(new ArrayBuffer(8));

function numberKey(value: number): string {
  buffer.setFloat64(0, value === 0 ? 0 : value);
  let hi = buffer.getUint32(0);
  let lo = buffer.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else {
    hi = (hi | 0x80000000) >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

/**
 * A string whose code-unit order is the value's order, for every indexable field type.
 * Strings keep themselves (so prefixes work), with control characters below the ceiling escaped out of the way.
 */
export function indexKey(type: FieldType, value: unknown): string {
  switch (type) {
    case "integer":
    case "number":
      return numberKey(value as number);
    case "boolean":
      return value ? "1" : "0";
    case "datetime":
      return new Date(value as string).toISOString();
    default:
      return String(value).replace(CONTROL, " ");
  }
}

/** An index key joined with an entity id, so equal values still sort apart. */
export function compositeKey(key: string, id: string): string {
  return key + KEY_SEPARATOR + id;
}

/** An index key and entity id from a composite key. */
export function splitCompositeKey(composite: string): { key: string; id: string } {
  const at = composite.lastIndexOf(KEY_SEPARATOR);
  return { key: composite.slice(0, at), id: composite.slice(at + 1) };
}
