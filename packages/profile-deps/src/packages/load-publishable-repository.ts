import { readFile } from "node:fs/promises";
import { InvalidRepositoryError } from "../errors.js";
import {
  createPublishableMemoryRepository,
  type MemoryPublishableRepository,
} from "./memory-publishable-repository.js";

/** Reads a `rez-benchmark-repository/1` JSON file into a publishable in-memory repository. */
export async function loadPublishableMemoryRepository(path: string): Promise<MemoryPublishableRepository> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new InvalidRepositoryError(
      `Cannot read package repository ${path}: ${(error as Error).message}`,
      [],
      {
        cause: error,
      },
    );
  }
  return createPublishableMemoryRepository(document);
}
