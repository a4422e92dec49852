import { orderQueue } from "@portside/dj-room";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const entry = (
  id: string,
  seq: number,
  up: number,
  addedBy = "g",
  down = 0,
  pinnedSeq: number | null = null,
) => ({
  id,
  seq,
  up,
  down,
  addedBy,
  pinnedSeq,
});

describe("queue order", () => {
  it("orders the replaced system's fixture D, A, C, B (likes, then time added)", () => {
    // (likes, added): A(1, 18 Feb), B(0, 14 Feb), C(1, 26 Feb), D(2, 14 Feb). Insertion order
    // follows the dates; B and D share a day and B was inserted first.
    const queue = [entry("A", 3, 1), entry("B", 1, 0), entry("C", 4, 1), entry("D", 2, 2)];
    expect(orderQueue(queue, { fairShare: false }).map((e) => e.id)).toEqual(["D", "A", "C", "B"]);
  });

  it("breaks score ties by insertion sequence, and counts down votes", () => {
    const queue = [entry("late", 9, 2), entry("early", 2, 2), entry("disliked", 1, 3, "g", 2)];
    expect(orderQueue(queue, { fairShare: false }).map((e) => e.id)).toEqual(["early", "late", "disliked"]);
  });

  it("puts pinned entries first, the latest pin on top", () => {
    const queue = [entry("top", 1, 9), entry("pinA", 2, 0, "g", 0, 10), entry("pinB", 3, 0, "g", 0, 11)];
    expect(orderQueue(queue, { fairShare: false }).map((e) => e.id)).toEqual(["pinB", "pinA", "top"]);
  });

  it("in fair-share mode takes turns across guests, each guest's tracks by votes", () => {
    const queue = [
      entry("a1", 1, 0, "alice"),
      entry("a2", 2, 5, "alice"),
      entry("a3", 3, 1, "alice"),
      entry("b1", 4, 0, "bob"),
      entry("c1", 5, 9, "carol"),
      entry("c2", 6, 0, "carol"),
    ];
    expect(orderQueue(queue, { fairShare: true }).map((e) => e.id)).toEqual([
      "a2",
      "b1",
      "c1",
      "a3",
      "c2",
      "a1",
    ]);
  });

  it("is a permutation with no ties, in either mode", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 0, maxLength: 30 }).chain((seqs) =>
          fc.tuple(
            fc.constant(seqs),
            fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.constantFrom("a", "b", "c")), {
              minLength: seqs.length,
              maxLength: seqs.length,
            }),
            fc.boolean(),
          ),
        ),
        ([seqs, votes, fairShare]) => {
          const queue = seqs.map((seq, i) => entry(`e${seq}`, seq, votes[i]![0], votes[i]![2], votes[i]![1]));
          const ordered = orderQueue(queue, { fairShare });
          expect(ordered.map((e) => e.id).sort()).toEqual(queue.map((e) => e.id).sort());
          if (!fairShare) {
            for (let i = 1; i < ordered.length; i++) {
              const [prev, cur] = [ordered[i - 1]!, ordered[i]!];
              const [ps, cs] = [prev.up - prev.down, cur.up - cur.down];
              expect(ps > cs || (ps === cs && prev.seq < cur.seq)).toBe(true);
            }
          }
          expect(orderQueue([...queue].reverse(), { fairShare }).map((e) => e.id)).toEqual(
            ordered.map((e) => e.id),
          );
        },
      ),
    );
  });

  it("in fair-share mode plays rounds: nobody's n-th track before everyone's (n-1)-th, own tracks by votes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "d"), fc.nat(4), fc.nat(4)), { maxLength: 40 }),
        (rows) => {
          const queue = rows.map(([guest, up, down], i) => entry(`e${i}`, i + 1, up, guest, down));
          const ordered = orderQueue(queue, { fairShare: true });
          const seen = new Map<string, number>();
          const rounds = ordered.map((e) => {
            const round = seen.get(e.addedBy) ?? 0;
            seen.set(e.addedBy, round + 1);
            return round;
          });
          for (let i = 1; i < rounds.length; i++) expect(rounds[i]).toBeGreaterThanOrEqual(rounds[i - 1]!);
          for (const guest of seen.keys()) {
            const own = ordered.filter((e) => e.addedBy === guest);
            expect(own).toEqual([...own].sort((x, y) => y.up - y.down - (x.up - x.down) || x.seq - y.seq));
          }
        },
      ),
    );
  });
});
