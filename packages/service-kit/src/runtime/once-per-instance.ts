/**
 * What a Lambda handler builds on its first invocation and keeps for the instance's life; a
 * failed build is not kept, so the next invocation tries again.
 */
export function oncePerInstance<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}
