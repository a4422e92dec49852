import { fileURLToPath } from "node:url";

/** `../shared/data` beside the repository (as CI lays it), or PORTSIDE_SHARED_DATA. */
export function sharedDataDir(...parts: string[]): string {
  const base =
    process.env.PORTSIDE_SHARED_DATA ?? fileURLToPath(new URL("../../../shared/data/", import.meta.url));
  return [base.replace(/\/$/, ""), ...parts].join("/");
}
