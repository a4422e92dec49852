import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * Lets a long job give the event loop back every `sliceMs` of work, so a process running an
 * import or a migration on an in-memory store keeps answering requests (a store that does I/O
 * yields on its own; this costs it nothing).
 */
export function createYielder(sliceMs = 4): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await nextTurn();
    since = performance.now();
  };
}
