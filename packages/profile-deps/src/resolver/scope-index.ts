const FLATTEN_DEPTH = 6;

/**
 * Position of each scope by package name. Phases split from one another share
 * their parent's index and only record the scopes they add, so a solve step
 * does not copy a map of every scope.
 */
export class ScopeIndex {
  readonly #parent: ScopeIndex | null;
  readonly #own: Map<string, number>;
  readonly #depth: number;

  private constructor(parent: ScopeIndex | null, own: Map<string, number>, depth: number) {
    this.#parent = parent;
    this.#own = own;
    this.#depth = depth;
  }

  static of(names: readonly string[]): ScopeIndex {
    return new ScopeIndex(null, new Map(names.map((n, i) => [n, i])), 0);
  }

  get(name: string): number | undefined {
    let index: ScopeIndex | null = this;
    while (index !== null) {
      const found = index.#own.get(name);
      if (found !== undefined) return found;
      index = index.#parent;
    }
    return undefined;
  }

  /** An index with more names; this one is left as it was. */
  extend(): ScopeIndex {
    if (this.#depth < FLATTEN_DEPTH) return new ScopeIndex(this, new Map(), this.#depth + 1);
    const all = new Map<string, number>();
    this.#collect(all);
    return new ScopeIndex(null, all, 0);
  }

  /** Only for an index obtained from `extend()` and not yet shared. */
  set(name: string, position: number): void {
    this.#own.set(name, position);
  }

  #collect(into: Map<string, number>): void {
    if (this.#parent !== null) this.#parent.#collect(into);
    for (const [k, v] of this.#own) into.set(k, v);
  }
}
