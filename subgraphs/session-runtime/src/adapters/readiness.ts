/**
 * Waits until code-server answers on the container address ('ready'), or until `stillWanted` says the
 * wait no longer matters ('abandoned': the session was stopped while starting), or gives up after the
 * timeout.
 */
export async function waitForCodeServer(
  ipAddress: string,
  port: number,
  timeoutMs: number,
  stillWanted: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<'ready' | 'abandoned'> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://${ipAddress}:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return 'ready';
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (!(await stillWanted())) return 'abandoned';
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer within ${Math.round(timeoutMs / 1000)} s (${lastError})`);
}
