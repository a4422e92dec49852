import { InvalidPackageFilterError } from "../errors.js";
import { parseRequirement } from "../version/requirement.js";
import type { Package } from "./package.js";

/**
 * Rules hiding packages from a resolve, as Rez's package filters. A package is hidden
 * when an `exclude` rule matches it and no `include` rule does. A rule is written
 * `label(body)` or bare:
 *
 * - `glob(foo-*.beta)`, or a bare rule holding `*`: a glob on `name-version`;
 * - `regex(.*\.beta$)`: a regular expression on `name-version`, anchored at the start;
 * - `range(foo-2+)`, or any other bare rule (`foo-2`, `!python-2.6`, `~foo-2`, `foo-1.?`):
 *   a requirement, matching the packages of its family that do not conflict with it;
 * - `before(1700000000)`, `after(foo:1700000000)`: release time at or before / after
 *   an epoch second, for every family or one.
 *
 * A rule whose text starts with a family name and a separator (`foo-*`) applies to that
 * family only, as in Rez.
 */
export interface PackageFilterRules {
  readonly exclude?: readonly string[];
  readonly include?: readonly string[];
}

/** Whether a package stays visible to the resolver. */
export type PackagePredicate = (pkg: Package) => boolean;

interface Rule {
  /** The family the rule is restricted to, or `null` for all. */
  readonly family: string | null;
  readonly match: PackagePredicate;
}

const LABELLED = /^([^(]+)\(([^()]+)\)$/;
const FAMILY_PREFIX = /^[^*?]+[-@#]/;

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close === -1) source += "\\[";
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function familyPrefix(text: string): string | null {
  const match = FAMILY_PREFIX.exec(text);
  return match === null ? null : match[0].slice(0, -1);
}

function patternRule(text: string, pattern: RegExp): Rule {
  return { family: familyPrefix(text), match: (pkg) => pattern.test(pkg.qualifiedName) };
}

function rangeRule(text: string): Rule {
  const requirement = parseRequirement(text);
  const { range, conflict } = requirement;
  // Rez's `not requirement.conflicts_with(package)`.
  const match: PackagePredicate = (pkg) => range === null || range.contains(pkg.version) !== conflict;
  return { family: requirement.name, match };
}

function timestampRule(family: string | null, time: number, after: boolean): Rule {
  return { family, match: (pkg) => (pkg.timestamp ?? 0) > time === after };
}

function parseTimestampRule(text: string, after: boolean): Rule {
  const colon = text.indexOf(":");
  const digits = colon === -1 ? text : text.slice(colon + 1);
  if (!/^\s*[+-]?\d+\s*$/.test(digits)) throw new Error(`'${digits}' is not an epoch time`);
  return timestampRule(colon === -1 ? null : text.slice(0, colon), Number(digits), after);
}

function buildRule(label: string, body: string): Rule {
  switch (label) {
    case "glob":
      return patternRule(body, globToRegExp(body));
    case "regex":
      return patternRule(body, new RegExp(`^(?:${body})`));
    case "range":
      return rangeRule(body);
    case "before":
      return parseTimestampRule(body, false);
    case "after":
      return parseTimestampRule(body, true);
    default:
      throw new Error(`'${label}' is not a package filter type (glob, regex, range, before, after)`);
  }
}

/** Parses one rule; a bare rule is a glob when it holds `*`, a requirement otherwise. */
export function parsePackageFilterRule(text: string): Rule {
  const labelled = LABELLED.exec(text);
  const label = labelled?.[1] ?? (text.includes("*") ? "glob" : "range");
  try {
    return buildRule(label, labelled?.[2] ?? text);
  } catch (error) {
    throw new InvalidPackageFilterError(text, (error as Error).message, { cause: error });
  }
}

const applies = (rule: Rule, pkg: Package) =>
  (rule.family === null || rule.family === pkg.name) && rule.match(pkg);

/**
 * A predicate that is true for packages the rules leave visible. A resolve `timestamp`
 * joins the same filter as an exclusion of later packages, as in Rez, so an `include`
 * rule lets a too-new package through; `0` (like no timestamp) means no cut-off.
 */
export function createPackageFilter(
  rules: PackageFilterRules = {},
  timestamp?: number,
): PackagePredicate | null {
  const exclude = (rules.exclude ?? []).map(parsePackageFilterRule);
  const include = (rules.include ?? []).map(parsePackageFilterRule);
  if (timestamp) exclude.push(timestampRule(null, timestamp, true));
  if (exclude.length === 0) return null;
  return (pkg) => !exclude.some((rule) => applies(rule, pkg)) || include.some((rule) => applies(rule, pkg));
}
