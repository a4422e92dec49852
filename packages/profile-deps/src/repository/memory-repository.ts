import { readFile } from "node:fs/promises";
import { InvalidRepositoryError } from "../errors.js";
import type { PackageDefinition } from "./package.js";
import { createPackageFamily, type PackageFamily } from "./package-family.js";
import type { PackageRepository } from "./package-repository.js";
import {
  type RepositoryDocument,
  type RepositoryDocumentInput,
  repositoryDocumentSchema,
} from "./repository-schema.js";

export interface MemoryRepository extends PackageRepository {
  getFamilySync(name: string): PackageFamily | undefined;
  /** Number of families and package versions held. */
  readonly size: { readonly families: number; readonly packages: number };
}

/**
 * An in-memory repository of the `rez-benchmark-repository/1` document (the
 * format of the Rez benchmark's `packages.json`). The document is typed, and still
 * validated up front (it often comes from a file); each family is built, sorted and
 * cached on first lookup.
 */
export function createMemoryRepository(document: RepositoryDocumentInput): MemoryRepository {
  return fromUnknown(document);
}

function fromUnknown(document: unknown): MemoryRepository {
  const parsed = repositoryDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 20)
      .map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0];
    throw new InvalidRepositoryError(
      `Invalid package repository${first ? ` at ${first.path || "(root)"}: ${first.message}` : ""}`,
      issues,
      { cause: parsed.error },
    );
  }
  return fromDocument(parsed.data);
}

/** Reads and validates a repository JSON file. */
export async function loadMemoryRepository(path: string): Promise<MemoryRepository> {
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
  return fromUnknown(document);
}

function fromDocument(document: RepositoryDocument): MemoryRepository {
  const raw = new Map<string, Record<string, PackageDefinition>>(Object.entries(document.families));
  const families = new Map<string, PackageFamily>();
  let packages = 0;
  for (const versions of raw.values()) packages += Object.keys(versions).length;
  const names = Object.freeze([...raw.keys()].sort());

  const getFamilySync = (name: string): PackageFamily | undefined => {
    let family = families.get(name);
    if (family === undefined) {
      const versions = raw.get(name);
      if (versions === undefined) return undefined;
      family = createPackageFamily(name, Object.entries(versions));
      families.set(name, family);
    }
    return family;
  };

  return {
    size: { families: raw.size, packages },
    listFamilies: async () => names,
    getFamily: async (name) => getFamilySync(name),
    getFamilySync,
  };
}
