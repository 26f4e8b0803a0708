/** One way to show times in the console: the viewer's locale, to the minute. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(4);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** `<home>@stop-<ms>-<slug>` → `stop-<ms>-<slug>`: the home is the same for every session of a user. */
export function snapshotShortName(name: string): string {
  return name.slice(name.indexOf('@') + 1);
}

const STOP_REASONS: Record<string, string> = {
  USER: 'by its owner',
  ADMIN: 'by an administrator',
  IDLE: 'idle: no workbench, SSH, GPU or CPU activity',
  MAX_RUNTIME: 'maximum runtime reached',
  LEFT_QUEUE: 'left the queue before a GPU was free',
  RESERVATION: 'its GPU is reserved for someone else',
};

/** Why a session stopped (or will), in words. */
export function stopReasonText(reason: string | null): string | null {
  return reason ? (STOP_REASONS[reason] ?? reason.toLowerCase()) : null;
}

/** "in 25 min", "in 3 h 10 min", "now": how far ahead a time is, for times within a day or two. */
export function formatIn(iso: string, now: Date): string {
  const minutes = Math.round((Date.parse(iso) - now.getTime()) / 60_000);
  if (minutes <= 0) return 'now';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `in ${hours} h` : `in ${hours} h ${minutes % 60} min`;
}
