import { isRegistryError, RegistryErrorCode, StoreFailureError } from "../errors.js";
import type { RegistryStore } from "../store/registry-store.js";

/** Where the service reports what it cannot hand to callers (a store failing unexpectedly). */
export interface RegistryLogger {
  /** Logs an error the registry recovered from, with its cause. */
  error(message: string, context: { operation: string; error: unknown }): void;
}

export const consoleLogger: RegistryLogger = {
  error: (message, context) => console.error(message, context),
};

/**
 * The store as the service uses it: any error a method throws that is not one of the registry's
 * own becomes one `StoreFailureError` (code `STORE_FAILURE`, the original as `cause`), logged once,
 * so a store written for another database fails the way ours do.
 */
export function guardStore(store: RegistryStore, logger: RegistryLogger): RegistryStore {
  const guarded = {} as Record<string, unknown>;
  for (const key of methodNames(store)) {
    const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[key]!;
    guarded[key] = async (...args: unknown[]) => {
      try {
        return await method.apply(store, args);
      } catch (error) {
        // The store's own conflicts, limits and not-founds are answers; anything else is a failure.
        if (
          isRegistryError(error) &&
          !(error.code === RegistryErrorCode.store && !(error instanceof StoreFailureError))
        ) {
          throw error;
        }
        logger.error(`registry store ${store.label} failed in ${key}`, { operation: key, error });
        throw new StoreFailureError(key, error);
      }
    };
  }
  return Object.assign(Object.create(store) as RegistryStore, guarded, { label: store.label });
}

function methodNames(store: RegistryStore): string[] {
  const names = new Set<string>();
  for (let o: object | null = store; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      const descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (key !== "constructor" && typeof descriptor?.value === "function") names.add(key);
    }
  }
  return [...names];
}
