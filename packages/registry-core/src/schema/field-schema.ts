import { z } from "zod";
import type { FieldDefinition } from "../model/field.js";
import { MAX_INDEX_KEY_BYTES } from "../store/index-key.js";

const entityId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "an entity id");

const cache = new Map<string, z.ZodType>();
const CACHE_SIZE = 2000;

/** The zod schema of one field's value (never null: absence is handled by the entity schema). */
export function fieldValueSchema(field: FieldDefinition): z.ZodType {
  const key = JSON.stringify(field);
  const cached = cache.get(key);
  if (cached) return cached;
  const schema = buildFieldSchema(field);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, schema);
  return schema;
}

function buildFieldSchema(field: FieldDefinition): z.ZodType {
  let schema: z.ZodType;
  switch (field.type) {
    case "string":
      schema = z.string().max(10_000);
      break;
    case "text":
      schema = z.string().max(1_000_000);
      break;
    case "integer":
      schema = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
      break;
    case "number":
      schema = z.number().finite();
      break;
    case "boolean":
      schema = z.boolean();
      break;
    case "date":
      schema = z.iso.date();
      break;
    case "datetime":
      schema = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());
      break;
    case "email":
      schema = z.email();
      break;
    case "url":
      schema = z.url();
      break;
    case "enum":
      schema = z.enum(field.choices as [string, ...string[]]);
      break;
    case "json":
      schema = z.json();
      break;
    case "link":
      schema =
        field.link?.cardinality === "many"
          ? z
              .array(entityId)
              .max(1000)
              .transform((ids) => [...new Set(ids)])
          : entityId;
      break;
  }
  if (field.indexed && (field.type === "string" || field.type === "text" || field.type === "url")) {
    schema = schema.refine(
      (v) => Buffer.byteLength(v as string) <= MAX_INDEX_KEY_BYTES,
      `an indexed value is at most ${MAX_INDEX_KEY_BYTES} bytes`,
    );
  }
  return schema;
}

/** Reads a value written as text (a CSV cell, a query-string literal) as the field's type. */
export function coerceFromText(field: FieldDefinition, text: string): unknown {
  switch (field.type) {
    case "integer":
    case "number": {
      const n = Number(text.trim());
      return text.trim() === "" || Number.isNaN(n) ? text : n;
    }
    case "boolean": {
      const t = text.trim().toLowerCase();
      return t === "true" || t === "1" ? true : t === "false" || t === "0" ? false : text;
    }
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case "link":
      if (field.link?.cardinality === "many") {
        return text
          .split(/[;|]/)
          .map((s) => s.trim())
          .filter(Boolean);
      }
      return text.trim();
    default:
      return text;
  }
}
