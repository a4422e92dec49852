import { it as vitestIt } from "vitest";
import type { RegistryStore } from "../store/registry-store.js";
import type { StoredEntity } from "../store/stored-entity.js";

/** Reads the raw store, around the adapter's own read path, so a suite can check what was written. */
export interface RegistryBackdoor {
  /** The stored entity as the raw store holds it, or null. */
  entity(organisation: string, id: string): Promise<StoredEntity | null>;
}

/** The options every conformance suite of the registry takes (the shape every port suite of Portside takes). */
export interface ConformanceOptions {
  /** Called once; every test works in its own organisation, so one store serves the suite. */
  create(): Promise<RegistryStore> | RegistryStore;
  /** Cleans up the store after the suite. */
  destroy?(store: RegistryStore): Promise<void> | void;
  /** A reader of the raw store, for checks around the adapter's read path. */
  backdoor?(store: RegistryStore): RegistryBackdoor;
  /** Names of tests this adapter does not run (say why where you call the suite). */
  skip?: readonly string[];
  /** More tests for this adapter, run inside the suite with its store. */
  additionalTests?(context: { store(): RegistryStore }): void;
  /** Fewer property runs for slow stores. */
  propertyRuns?: number;
}

let orgCounter = 0;
export const freshOrg = () =>
  `org-${Date.now().toString(36)}-${++orgCounter}-${Math.random().toString(36).slice(2, 6)}`;

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

export type TestFn = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/** `it`, except for the tests the caller chose to skip. */
export function testUnlessSkipped(skip: readonly string[] = []): TestFn {
  return (name, fn, timeout) => (skip.includes(name) ? vitestIt.skip(name, fn) : vitestIt(name, fn, timeout));
}
