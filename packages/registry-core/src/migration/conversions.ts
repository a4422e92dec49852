import type { JsonValue } from "../model/entity.js";
import type { FieldDefinition, FieldType } from "../model/field.js";
import { fieldValueSchema } from "../schema/field-schema.js";

export type Conversion = { ok: true; value: JsonValue | undefined } | { ok: false; message: string };

const TEXTUAL: ReadonlySet<FieldType> = new Set(["string", "text", "email", "url", "enum"]);

/** Whether a field may change from one type to another: a conversion exists (it may still fail per value). */
export function canConvert(from: FieldDefinition, to: FieldDefinition): boolean {
  if (from.type === to.type) {
    if (from.type !== "link") return true;
    return from.link?.target === to.link?.target;
  }
  if (from.type === "link" || to.type === "link") return false;
  if (to.type === "string" || to.type === "text" || to.type === "json") return true;
  if (TEXTUAL.has(from.type)) return true;
  const numeric = new Set<FieldType>(["integer", "number", "boolean"]);
  if (numeric.has(from.type) && numeric.has(to.type)) return true;
  return (from.type === "date" && to.type === "datetime") || (from.type === "datetime" && to.type === "date");
}

function raw(from: FieldDefinition, to: FieldDefinition, value: JsonValue): unknown {
  if (to.type === "link" && from.type === "link") {
    const many = to.link?.cardinality === "many";
    if (many) return Array.isArray(value) ? value : [value];
    if (Array.isArray(value)) {
      if (value.length > 1) throw new Error("holds more than one link");
      return value[0];
    }
    return value;
  }
  if (to.type === "json") return value;
  if (to.type === "string" || to.type === "text")
    return typeof value === "string" ? value : JSON.stringify(value);
  if (to.type === "integer" || to.type === "number") {
    if (typeof value === "boolean") return value ? 1 : 0;
    const n = typeof value === "number" ? value : Number(String(value).trim());
    if (String(value).trim() === "" || Number.isNaN(n)) throw new Error(`'${value}' is not a number`);
    return n;
  }
  if (to.type === "boolean") {
    if (typeof value === "number") return value !== 0;
    const t = String(value).trim().toLowerCase();
    if (t === "true" || t === "1") return true;
    if (t === "false" || t === "0") return false;
    throw new Error(`'${value}' is not a boolean`);
  }
  if (to.type === "date") return typeof value === "string" && value.length > 10 ? value.slice(0, 10) : value;
  if (to.type === "datetime" && from.type === "date") return `${value}T00:00:00.000Z`;
  return value;
}

/** Converts one stored value to a field's new definition, validating the result. */
export function convertValue(from: FieldDefinition, to: FieldDefinition, value: JsonValue): Conversion {
  try {
    const candidate = raw(from, to, value);
    const result = fieldValueSchema(to).safeParse(candidate);
    if (!result.success) return { ok: false, message: result.error.issues[0]?.message ?? "invalid" };
    return { ok: true, value: result.data as JsonValue };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
