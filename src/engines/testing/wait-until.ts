/**
 * Resolves once `predicate` holds, polled every 10 ms; rejects with `failure` after `timeoutMs`. The
 * engine kits wait this way for an agent's process to reach a point a test steers or stops it at.
 */
export async function waitUntil(predicate: () => boolean, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
