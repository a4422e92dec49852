import { RecorderError, RecorderErrorCode } from "../errors.js";

/** Opaque keyset cursor over (timestamp, eventId). */
export function encodeCursor(time: Date, eventId: string): string {
  return Buffer.from(JSON.stringify([time.toISOString(), eventId])).toString("base64url");
}

export function decodeCursor(cursor: string): { time: Date; eventId: string } {
  try {
    const [time, eventId] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const date = new Date(time);
    if (typeof eventId !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { time: date, eventId };
  } catch (error) {
    throw new RecorderError(RecorderErrorCode.invalidArgument, "cursor is not one this API returned", {
      cause: error,
    });
  }
}

export function queryLimit(limit: number | undefined): number {
  const value = limit ?? 100;
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new RecorderError(RecorderErrorCode.invalidArgument, "limit must be an integer from 1 to 1000");
  }
  return value;
}
