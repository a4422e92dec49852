import { HttpError, HttpErrorCode } from "./errors.js";

/** An entity tag, weak or strong. */
export interface EntityTag {
  weak: boolean;
  /** The quoted part without its quotes. */
  opaque: string;
}

/** `If-Match` / `If-None-Match` as RFC 9110 reads them: `*`, or a list of entity tags. */
export type EntityTagCondition = "*" | EntityTag[];

/** A strong entity tag for a resource version: `"3"`. */
export function entityTag(version: string | number): string {
  return `"${String(version).replace(/["\\]/g, "")}"`;
}

/** Reads an `If-Match` / `If-None-Match` header: `*` or a list of entity tags. */
export function parseEntityTags(header: string | null): EntityTagCondition | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (header.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  for (const match of header.matchAll(/\s*(W\/)?"([^"]*)"\s*(,|$)/g)) {
    tags.push({ weak: match[1] !== undefined, opaque: match[2]! });
  }
  if (tags.length === 0) {
    throw new HttpError(HttpErrorCode.validationFailed, 'Entity tags are quoted: If-Match: "3"', {
      details: { issues: [{ path: ["headers"], message: `Malformed entity tag list: ${header}` }] },
    });
  }
  return tags;
}

/** RFC 9110 §13.1.1: `If-Match` compares strongly, so a weak tag never matches. */
export function ifMatchPasses(condition: EntityTagCondition, current: string | undefined): boolean {
  if (current === undefined) return false;
  if (condition === "*") return true;
  const tag = parseEntityTags(current);
  if (tag === undefined || tag === "*" || tag[0]!.weak) return false;
  return condition.some((t) => !t.weak && t.opaque === tag[0]!.opaque);
}

/** RFC 9110 §13.1.2: `If-None-Match` compares weakly. */
export function ifNoneMatchMatches(condition: EntityTagCondition, current: string | undefined): boolean {
  if (current === undefined) return false;
  if (condition === "*") return true;
  const tag = parseEntityTags(current);
  if (tag === undefined || tag === "*") return false;
  return condition.some((t) => t.opaque === tag[0]!.opaque);
}

/** The 412 error of a request whose `If-Match` no longer matches. */
export function preconditionFailed(
  message = "The resource changed: its entity tag no longer matches If-Match",
): HttpError {
  return new HttpError(HttpErrorCode.preconditionFailed, message);
}

/**
 * The version an `If-Match` names, for a store's compare-and-set: a single strong tag. `*` and
 * absent headers give `undefined`; a weak tag can never match, so it fails here (412).
 */
export function ifMatchVersion(request: Request): string | undefined {
  const condition = parseEntityTags(request.headers.get("if-match"));
  if (condition === undefined || condition === "*") return undefined;
  const strong = condition.filter((t) => !t.weak);
  if (strong.length === 0)
    throw preconditionFailed("If-Match compares strongly: a weak entity tag never matches");
  if (strong.length > 1) {
    throw new HttpError(HttpErrorCode.validationFailed, "If-Match names one version here", {
      details: { issues: [{ path: ["headers", "if-match"], message: "one entity tag expected" }] },
    });
  }
  return strong[0]!.opaque;
}
