import { generateRoomCode, normalizeRoomCode, ROOM_CODE_ALPHABET } from "@portside/dj-room";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("room codes", () => {
  it("are six characters of an alphabet without look-alikes", () => {
    for (const ambiguous of ["0", "O", "1", "I", "L", "U"])
      expect(ROOM_CODE_ALPHABET).not.toContain(ambiguous);
    for (let i = 0; i < 200; i++)
      expect(generateRoomCode()).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
  });

  it("read back case-insensitively and reject anything else", () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        let n = seed;
        const code = generateRoomCode((max) => {
          n = (n * 1103515245 + 12345) % 2 ** 31;
          return n % max;
        });
        expect(normalizeRoomCode(` ${code.toLowerCase()} `)).toBe(code);
      }),
    );
    expect(normalizeRoomCode("ABC")).toBeNull();
    expect(normalizeRoomCode("ABCDE0")).toBeNull();
    expect(normalizeRoomCode("ABCDEFG")).toBeNull();
  });
});
