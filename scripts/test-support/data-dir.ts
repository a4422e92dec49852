import { fileURLToPath } from "node:url";

/** A path inside the repository's `data/` folder (the Rez benchmark set lives there). */
export function dataDir(...parts: string[]): string {
  return fileURLToPath(new URL(["../../data", ...parts].join("/"), import.meta.url));
}
