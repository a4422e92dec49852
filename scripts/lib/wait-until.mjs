/** Polls `probe` until it returns true, or throws with `what` after `timeoutMs`. */
export async function waitUntil(
  what,
  probe,
  { timeoutMs = 30_000, intervalMs = 100, alive = () => null } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const died = alive();
    if (died) throw new Error(`${what} exited before it was ready: ${died}`);
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} was not ready after ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ""}`);
}
