import { parseRequirement } from "../version/requirement.js";
import type { Package } from "./package.js";

/**
 * Rules hiding packages from a resolve, as Rez's package filters. A rule is a
 * glob on the qualified name (`foo-*.beta`, `*-dev*`) when it holds `*`, `?` or
 * `[`; otherwise a requirement (`foo`, `foo-2+<3`) matching that family and range.
 * A package is hidden when an `exclude` rule matches and no `include` rule does.
 */
export interface PackageFilterRules {
  readonly exclude?: readonly string[];
  readonly include?: readonly string[];
}

export type PackagePredicate = (pkg: Package) => boolean;

const GLOB_CHARS = /[*?[]/;

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

function compileRule(rule: string): PackagePredicate {
  if (GLOB_CHARS.test(rule)) {
    const pattern = globToRegExp(rule);
    return (pkg) => pattern.test(pkg.qualifiedName);
  }
  const requirement = parseRequirement(rule);
  const range = requirement.range;
  return (pkg) => pkg.name === requirement.name && (range === null || range.contains(pkg.version));
}

/** A predicate that is true for packages the rules (and an optional release cut-off) leave visible. */
export function createPackageFilter(
  rules: PackageFilterRules = {},
  timestamp?: number,
): PackagePredicate | null {
  const exclude = (rules.exclude ?? []).map(compileRule);
  const include = (rules.include ?? []).map(compileRule);
  if (exclude.length === 0 && timestamp === undefined) return null;
  return (pkg) => {
    if (timestamp !== undefined && pkg.timestamp !== null && pkg.timestamp > timestamp) return false;
    if (!exclude.some((rule) => rule(pkg))) return true;
    return include.some((rule) => rule(pkg));
  };
}
