import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ProfileDepsError, ProfileDepsErrorCode } from "../errors.js";

const requestsSchema = z.array(z.array(z.string()));

/** Reads a JSON file holding a list of request lists (the format of the Rez benchmark's `requests.json`). */
export async function readRequestsFile(path: string): Promise<string[][]> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ProfileDepsError(
      ProfileDepsErrorCode.invalidInput,
      `Cannot read requests file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const parsed = requestsSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProfileDepsError(
      ProfileDepsErrorCode.invalidInput,
      `Invalid requests file ${path}: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "not a list of request lists"}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
