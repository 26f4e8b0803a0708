import { ContainerExitedError, ContainerStartError } from '../ports/container-runtime';

/** What the wait needs to know about the container between two probes. */
export type StartState = 'starting' | 'abandoned' | { exitCode: number | null };

const PROBE_TIMEOUT_MS = 1_000;
const PROBE_INTERVAL_MS = 250;

/**
 * Waits until code-server answers on the container address ('ready'), or until the session no longer
 * wants this container ('abandoned': stopped while starting). Fails at once, with ContainerExitedError,
 * when the container is gone or has exited: its state is asked alongside every probe, so a dead pack is
 * reported within about a second of its exit instead of at the timeout.
 */
export async function waitForCodeServer(
  ipAddress: string,
  port: number,
  timeoutMs: number,
  startState: () => Promise<StartState>,
): Promise<'ready' | 'abandoned'> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const probe = probeHealth(`http://${ipAddress}:${port}/healthz`);
    const state = await startState();
    if (state === 'abandoned') return 'abandoned';
    if (state !== 'starting') throw new ContainerExitedError(state.exitCode);
    const answer = await probe;
    if (answer === 'ok') return 'ready';
    lastError = answer;
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  throw new ContainerStartError(`code-server did not answer within ${Math.round(timeoutMs / 1000)} s (${lastError})`);
}

/** 'ok', or why not; never throws (an address of a dead container may hang, hence the short timeout). */
async function probeHealth(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok ? 'ok' : `HTTP ${response.status}`;
  } catch (error) {
    // fetch reports "fetch failed"; the cause says what happened (ECONNREFUSED, a timeout, ...).
    const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
    return cause?.code ?? cause?.message ?? message;
  }
}
