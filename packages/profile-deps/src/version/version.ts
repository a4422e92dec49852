import { InvalidVersionError } from "../errors.js";
import { encodeToken, INFINITE_KEY, nextKey } from "./version-key.js";

const TOKEN = /^[A-Za-z0-9_]+$/;

/**
 * A Rez version: tokens of `[A-Za-z0-9_]` separated by `.` or `-`. Two versions
 * are equal when their tokens are, whatever the separators. Instances are
 * interned by `parseVersion`, so `key` comparisons are cheap.
 */
export class Version {
  /** The empty version, lowest of all. */
  static readonly empty = new Version("", "");
  /** Above every version; only used as the open end of a range. */
  static readonly infinity = new Version("[INF]", INFINITE_KEY);

  readonly text: string;
  /** Order key: comparing keys as strings compares the versions. */
  readonly key: string;
  #next: Version | undefined;
  /** @internal Cache for `exactBound`, typed loosely to keep this module free of bounds. */
  exact: object | undefined;

  private constructor(text: string, key: string) {
    this.text = text;
    this.key = key;
  }

  /** @internal */
  static fromParts(text: string, key: string): Version {
    return new Version(text, key);
  }

  get isEmpty(): boolean {
    return this.key === "";
  }

  get isInfinity(): boolean {
    return this === Version.infinity;
  }

  /** The smallest version above this one and every version it prefixes: `1.2` gives `1.2_`. */
  next(): Version {
    if (this.#next === undefined) {
      this.#next = this.isEmpty ? Version.infinity : new Version(`${this.text}_`, nextKey(this.key));
    }
    return this.#next;
  }

  /** Orders this version against another: -1, 0 or 1. */
  compare(other: Version): -1 | 0 | 1 {
    return compareVersions(this, other);
  }

  /** Whether the two versions are equal. */
  equals(other: Version): boolean {
    return this.key === other.key;
  }

  /** The version as written. */
  toString(): string {
    return this.text;
  }
}

/** Orders two versions as Rez does: -1, 0 or 1. */
export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

const cache = new Map<string, Version>();
const CACHE_LIMIT = 200_000;

/** Parses a Rez version string (`1.2.3`, `2022-sp1`, `4.rc1`, `""`). Throws `InvalidVersionError`. */
export function parseVersion(text: string): Version {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const version = buildVersion(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, version);
  return version;
}

function buildVersion(text: string): Version {
  if (text === "") return Version.empty;
  let key = "";
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (code === 46 || code === 45 || code === -1) {
      const token = text.slice(start, i);
      if (!TOKEN.test(token)) {
        throw new InvalidVersionError(
          text,
          token === "" ? "empty token (separators must sit between tokens)" : `invalid token '${token}'`,
        );
      }
      key += encodeToken(token);
      start = i + 1;
    }
  }
  return Version.fromParts(text, key);
}
