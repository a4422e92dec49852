/** A stack of (x, y) index pairs packed in 32 bits each, growing as needed. */
export class PairStack {
  #items = new Uint32Array(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(x: number, y: number): void {
    if (this.#length === this.#items.length) {
      const bigger = new Uint32Array(this.#items.length * 2);
      bigger.set(this.#items);
      this.#items = bigger;
    }
    this.#items[this.#length++] = ((x << 16) | y) >>> 0;
  }

  /** Sorts the pairs (x, then y) so that `pop` takes the largest first. */
  sort(): void {
    this.#items.subarray(0, this.#length).sort();
  }

  /** The packed pair on top; `x = p >>> 16`, `y = p & 0xffff`. */
  pop(): number {
    return this.#items[--this.#length]!;
  }

  clear(): void {
    this.#length = 0;
  }
}
