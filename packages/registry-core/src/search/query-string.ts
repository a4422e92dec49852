import { QueryError } from "../errors.js";
import type { Condition, SearchFilter } from "./filter.js";

const OPERATORS: [string, Condition["op"]][] = [
  [">=", "gte"],
  ["<=", "lte"],
  ["^=", "prefix"],
  [">", "gt"],
  ["<", "lt"],
  ["=", "eq"],
];

/** Splits on commas that are outside double quotes and brackets. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === "[") depth++;
    else if (!quoted && c === "]") depth--;
    else if (!quoted && depth === 0 && c === ",") {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A JSON literal when it is one (`"a b"`, `3`, `true`, `["a","b"]`), the bare text otherwise. */
function literal(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Parses the seed's query string: `fields=address="test address",age>=30,status=["a","b"]`
 * (operators `= < <= > >= ^=`; a JSON array with `=` means `in`), `links=<id>,<id>`,
 * `ids=<id>,<id>`, `limit=N`, `cursor=...`. Values are JSON literals or bare text.
 */
export function parseSearchParams(params: URLSearchParams): SearchFilter {
  const conditions: Condition[] = [];
  for (const group of params.getAll("fields")) {
    for (const part of splitTop(group)) {
      const match = /^([A-Za-z][A-Za-z0-9_]*)\s*(>=|<=|\^=|>|<|=)\s*(.*)$/s.exec(part);
      if (!match)
        throw new QueryError("INVALID_QUERY", `Cannot read field filter '${part}'`, { details: { part } });
      const [, field, symbol, rawValue] = match as unknown as [string, string, string, string];
      const op = OPERATORS.find(([s]) => s === symbol)![1];
      const value = literal(rawValue);
      conditions.push({ field, op: op === "eq" && Array.isArray(value) ? "in" : op, value });
    }
  }
  const list = (key: string) => params.getAll(key).flatMap((v) => splitTop(v));
  const ids = list("ids");
  const links = list("links");
  const limit = params.get("limit");
  const cursor = params.get("cursor");
  return {
    conditions,
    ...(ids.length > 0 && { ids }),
    ...(links.length > 0 && { links }),
    ...(limit !== null && { limit: Number(limit) }),
    ...(cursor !== null && { cursor }),
  };
}
