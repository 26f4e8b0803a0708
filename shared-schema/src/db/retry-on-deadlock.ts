/** How often a statement InnoDB chose as a deadlock victim is run again. */
const DEADLOCK_ATTEMPTS = 4;
const DEADLOCK_BACKOFF_MS = 15;

/**
 * True for InnoDB's "Deadlock found when trying to get lock; try restarting transaction" (1213), raw
 * from mysql2 or wrapped by objection (`nativeError`).
 */
export function isDeadlock(error: unknown): boolean {
  const candidates = [error, (error as { nativeError?: unknown } | null)?.nativeError];
  return candidates.some(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      ((e as { errno?: unknown }).errno === 1213 || (e as { code?: unknown }).code === 'ER_LOCK_DEADLOCK'),
  );
}

/**
 * Runs `work` (one statement or one whole transaction) again when InnoDB rolled it back as a deadlock
 * victim, as MariaDB's message asks; updates of neighbouring rows in a shared secondary index (two
 * sessions of one user changing state at the same instant) can deadlock without any application bug.
 */
export async function retryOnDeadlock<T>(work: () => PromiseLike<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, DEADLOCK_BACKOFF_MS * attempt * (0.5 + Math.random())));
    }
  }
}
