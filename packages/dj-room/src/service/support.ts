import { z } from "zod";
import { DjRoomError, isDjRoomError } from "../errors.js";

// Input schemas and small helpers shared by the use cases.
export const guestNameSchema = z.string().trim().min(1).max(40);
export const roomNameSchema = z.string().trim().min(1).max(80);
export const voteSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
export const searchSchema = z.string().trim().min(1).max(200);

export const CODE_ATTEMPTS = 8;
export const TOUCH_EVERY_MS = 30_000;
export const CONFLICT_RETRIES = 8;

export function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DjRoomError("VALIDATION_FAILED", `Invalid ${field}`, {
    details: {
      issues: result.error.issues.map((i) => ({
        path: [field, ...i.path.map((p) => (typeof p === "number" ? p : String(p)))],
        message: i.message,
      })),
    },
  });
}

export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDjRoomError(error, "CONFLICT") || attempt >= CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
  }
}
