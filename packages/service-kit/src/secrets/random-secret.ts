import { randomBytes } from "node:crypto";

/** A generator of random secrets: `bytes` random bytes, base64url (or base64 when a key must be exactly that many bytes). */
export const randomSecret =
  (bytes: number, encoding: "base64url" | "base64" = "base64url") =>
  () =>
    randomBytes(bytes).toString(encoding);
