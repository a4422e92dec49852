import { z } from "zod";

/** A trimmed string where blank means absent. */
export const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** A positive integer with a default when absent. */
export const positiveInt = (fallback: number) =>
  optionalText.transform((v) => (v === undefined ? fallback : Number(v))).pipe(z.number().int().positive());

/** `true` or `false`, absent meaning false. */
export const flag = optionalText.pipe(z.enum(["true", "false"]).optional()).transform((v) => v === "true");
