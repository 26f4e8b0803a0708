/** Only a path on this origin: `next` comes from the address bar and must not send users elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\')
    ? next
    : '/';
}

const SESSION_HOST = /^s-[a-z2-7]{8}\.(external|internal)\./;

/**
 * A session's address to return to after signing in (the gateway sends signed-out visitors of
 * `s-<slug>.<exposure>.<this host>` here): only such a host under this console's own host name, with its
 * scheme and port; anything else is null.
 */
export function sessionReturnUrl(
  next: unknown,
  console: Pick<Location, 'protocol' | 'hostname' | 'port'>,
): string | null {
  if (typeof next !== 'string') return null;
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    return null;
  }
  const match = SESSION_HOST.exec(url.hostname);
  const underConsole = match !== null && url.hostname.slice(match[0].length) === console.hostname;
  const sameOrigin = url.protocol === console.protocol && url.port === console.port;
  return underConsole && sameOrigin && !url.username && !url.password ? url.toString() : null;
}
