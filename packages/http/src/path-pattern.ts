import { HttpError, HttpErrorCode } from "./errors.js";

/** A path's segments, each percent-decoded; malformed encoding is a 400, never a thrown `URIError`. */
export function decodePathSegments(pathname: string): string[] {
  return pathname
    .split("/")
    .filter((s) => s !== "")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new HttpError(HttpErrorCode.invalidPath, "The path is not valid percent-encoding", {
          details: { segment },
        });
      }
    });
}

/** `/profiles/:name/revisions/:revision` compiled once. */
export interface PathPattern {
  source: string;
  parts: readonly string[];
}

export function compilePath(source: string): PathPattern {
  return { source, parts: source.split("/").filter((s) => s !== "") };
}

export function matchPath(pattern: PathPattern, segments: readonly string[]): Record<string, string> | null {
  if (pattern.parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.parts.entries()) {
    const segment = segments[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
