import { it } from "vitest";
import { ProfileDepsError } from "../errors.js";

/** The `code` of the error this package's promise rejects with, or `undefined` when it resolves. */
export async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProfileDepsError) return error.code;
    throw error;
  }
  return undefined;
}

/** `it`, skipping the tests a suite's caller named in `skip`. */
export function testsSkipping(skip: readonly string[] = []) {
  const skipped = new Set(skip);
  return (title: string, test: () => Promise<void>) =>
    skipped.has(title) ? it.skip(title, test) : it(title, test);
}
