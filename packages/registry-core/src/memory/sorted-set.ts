/** A sorted array of strings with binary-search inserts, removals and ranges (code-unit order). */
export class SortedStrings {
  readonly items: string[] = [];

  /** First position whose item is >= value (or > value when `strict`). */
  bound(value: string, strict = false): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const item = this.items[mid]!;
      if (item < value || (strict && item === value)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(value: string): void {
    const at = this.bound(value);
    if (this.items[at] !== value) this.items.splice(at, 0, value);
  }

  delete(value: string): void {
    const at = this.bound(value);
    if (this.items[at] === value) this.items.splice(at, 1);
  }

  get size(): number {
    return this.items.length;
  }
}
