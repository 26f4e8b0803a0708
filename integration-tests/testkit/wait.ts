/** Polls `probe` every 250 ms until it yields a value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `until` for a synchronous condition. */
export function untilTrue(what: string, timeoutMs: number, condition: () => boolean): Promise<true> {
  return until(what, timeoutMs, () => Promise.resolve(condition() ? true : undefined));
}
