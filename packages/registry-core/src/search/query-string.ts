import { QueryError } from "../errors.js";
import type { Condition, SearchFilter } from "./filter.js";

const OPERATORS: [string, NonNullable<Condition["op"]>][] = [
  [">=", "gte"],
  ["<=", "lte"],
  ["^=", "prefix"],
  ["~=", "contains"],
  ["!=", "ne"],
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

function conditionsOf(text: string): Condition[] {
  return splitTop(text).map((part) => {
    const match = /^([A-Za-z][A-Za-z0-9_]*)\s*(>=|<=|\^=|~=|!=|>|<|=)\s*(.*)$/s.exec(part);
    if (!match)
      throw new QueryError("INVALID_QUERY", `Cannot read field filter '${part}'`, { details: { part } });
    const [, field, symbol, rawValue] = match as unknown as [string, string, string, string];
    const op = OPERATORS.find(([s]) => s === symbol)![1];
    const value = op === "contains" ? String(literal(rawValue)) : literal(rawValue);
    if (Array.isArray(value) && (op === "eq" || op === "ne"))
      return { field, op: op === "eq" ? "in" : "nin", value };
    return { field, op, value };
  });
}

/**
 * Parses the query-string form: `fields=address="test address",age>=30,status=["a","b"]`
 * (operators `= != < <= > >= ^=` (prefix) `~=` (contains); a JSON array with `=` means `in`,
 * with `!=` `nin`), `any=status="a",age<3` (one OR of the listed conditions), `exists=email`,
 * `missing=phone`, `sort=age` or `sort=-age`, `count=true`, `q=words` (text search), `links=<id>,<id>`, `ids=<id>,<id>`,
 * `limit=N`, `cursor=...`. Values are JSON literals or bare text.
 */
export function parseSearchParams(params: URLSearchParams): SearchFilter {
  const list = (key: string) => params.getAll(key).flatMap((v) => splitTop(v));
  const conditions: Condition[] = [
    ...params.getAll("fields").flatMap(conditionsOf),
    ...list("exists").map((field) => ({ field, op: "exists" as const, value: true })),
    ...list("missing").map((field) => ({ field, op: "exists" as const, value: false })),
  ];
  const any = params.getAll("any");
  if (any.length > 1)
    throw new QueryError("INVALID_QUERY", "Give one any= (an OR of conditions); use the JSON body for more");
  const ids = list("ids");
  const links = list("links");
  const limit = params.get("limit");
  const cursor = params.get("cursor");
  const sort = params.get("sort");
  const count = params.get("count");
  const text = params.get("q");
  return {
    conditions,
    ...(any.length === 1 && { anyOf: conditionsOf(any[0]!).map((c) => [c]) }),
    ...(ids.length > 0 && { ids }),
    ...(links.length > 0 && { links }),
    ...(sort && {
      sort: sort.startsWith("-") ? { field: sort.slice(1), direction: "desc" as const } : { field: sort },
    }),
    ...(count !== null && { count: count === "true" || count === "" }),
    ...(text !== null && { text }),
    ...(limit !== null && { limit: Number(limit) }),
    ...(cursor !== null && { cursor }),
  };
}
