import fc from "fast-check";
import { expect, it } from "vitest";
import { SortedStrings } from "../src/memory/sorted-set.js";

it("keeps the same order and ranges as a sorted array under inserts and deletes (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.boolean(),
          fc.oneof(
            fc.string({ maxLength: 4 }),
            fc.nat(99_999).map((n) => String(n).padStart(5, "0")),
          ),
        ),
        { maxLength: 4000 },
      ),
      fc.string({ maxLength: 3 }),
      fc.string({ maxLength: 3 }),
      fc.boolean(),
      fc.boolean(),
      (ops, a, b, loInc, hiInc) => {
        const set = new SortedStrings();
        const model = new Set<string>();
        for (const [add, value] of ops) {
          if (add) {
            set.add(value);
            model.add(value);
          } else {
            set.delete(value);
            model.delete(value);
          }
        }
        const sorted = [...model].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        expect(set.values()).toEqual(sorted);
        expect(set.size).toBe(sorted.length);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const expected = sorted.filter((v) => (loInc ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi));
        expect(set.range({ key: lo, inclusive: loInc }, { key: hi, inclusive: hiInc }, 10_000)).toEqual(
          expected,
        );
        expect(set.range({ key: lo, inclusive: loInc }, undefined, 3)).toEqual(
          sorted.filter((v) => (loInc ? v >= lo : v > lo)).slice(0, 3),
        );
      },
    ),
    { numRuns: 100 },
  );
});
