import { randomInt } from "node:crypto";

/** No 0/O, 1/I/L, U (V), so a code read aloud or typed on a phone is unambiguous. */
export const ROOM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
/** How many characters a room code has. */
export const ROOM_CODE_LENGTH = 6;

const CODE_PATTERN = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

export type RandomIndex = (max: number) => number;

/** A random room code from `ROOM_CODE_ALPHABET`. */
export function generateRoomCode(random: RandomIndex = randomInt): string {
  let code = "";
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[random(ROOM_CODE_ALPHABET.length)];
  return code;
}

/** Codes are case-insensitive and tolerate surrounding spaces; returns null for anything not a code. */
export function normalizeRoomCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  return CODE_PATTERN.test(code) ? code : null;
}
