const BLOCK = 512;

/** First position in a sorted array whose item is >= value (or > value when `strict`). */
function bound(items: readonly string[], value: string, strict: boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid]!;
    if (item < value || (strict && item === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A sorted set of strings (code-unit order) kept in blocks of at most 512, so inserts and removals
 * move O(√n) items and range reads start with two binary searches.
 */
export class SortedStrings {
  private blocks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  private blockFor(value: string): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid]!;
      if (block[block.length - 1]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(value: string): void {
    if (this.blocks.length === 0) {
      this.blocks.push([value]);
      this.count = 1;
      return;
    }
    const b = this.blockFor(value);
    const block = this.blocks[b]!;
    const at = bound(block, value, false);
    if (block[at] === value) return;
    block.splice(at, 0, value);
    this.count++;
    if (block.length > BLOCK * 2) this.blocks.splice(b + 1, 0, block.splice(BLOCK));
  }

  delete(value: string): void {
    if (this.blocks.length === 0) return;
    const b = this.blockFor(value);
    const block = this.blocks[b]!;
    const at = bound(block, value, false);
    if (block[at] !== value) return;
    block.splice(at, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(b, 1);
  }

  /** Up to `limit` items after `lower` (inclusive or not) and before `upper` (inclusive or not), in order. */
  range(
    lower: { key: string; inclusive: boolean } | undefined,
    upper: { key: string; inclusive: boolean } | undefined,
    limit: number,
  ): string[] {
    const out: string[] = [];
    if (this.blocks.length === 0) return out;
    let b = lower ? this.blockFor(lower.key) : 0;
    let i = lower ? bound(this.blocks[b]!, lower.key, !lower.inclusive) : 0;
    while (b < this.blocks.length && out.length < limit) {
      const block = this.blocks[b]!;
      for (; i < block.length && out.length < limit; i++) {
        const item = block[i]!;
        if (upper && (upper.inclusive ? item > upper.key : item >= upper.key)) return out;
        out.push(item);
      }
      b++;
      i = 0;
    }
    return out;
  }

  /** Like `range`, from the top down. */
  rangeDescending(
    lower: { key: string; inclusive: boolean } | undefined,
    upper: { key: string; inclusive: boolean } | undefined,
    limit: number,
  ): string[] {
    const out: string[] = [];
    if (this.blocks.length === 0) return out;
    let b = upper ? this.blockFor(upper.key) : this.blocks.length - 1;
    let i = upper ? bound(this.blocks[b]!, upper.key, upper.inclusive) - 1 : this.blocks[b]!.length - 1;
    while (b >= 0 && out.length < limit) {
      const block = this.blocks[b]!;
      for (; i >= 0 && out.length < limit; i--) {
        const item = block[i]!;
        if (lower && (lower.inclusive ? item < lower.key : item <= lower.key)) return out;
        out.push(item);
      }
      b--;
      i = b >= 0 ? this.blocks[b]!.length - 1 : -1;
    }
    return out;
  }

  values(): string[] {
    return this.blocks.flat();
  }
}
