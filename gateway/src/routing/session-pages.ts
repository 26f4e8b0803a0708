import type { DenialReason } from './session-access';

interface PageText {
  title: string;
  body: string;
}

/** What a visitor's browser is told about a session address that did not open, and the way on. */
function textFor(reason: DenialReason, slug: string | null): PageText {
  const session = slug ? `s-${slug}` : 'this session';
  switch (reason) {
    case 'not-yours':
      return {
        title: 'This session is someone else’s',
        body: `${session} belongs to another user: only its owner and administrators can open it.`,
      };
    case 'not-entitled':
      return {
        title: 'Internal sessions need approval',
        body: `${session} runs on the internal network, which needs an administrator’s approval for your account.`,
      };
    case 'not-running':
      return {
        title: `${session} is not running`,
        body:
          'It was stopped (by you, by an administrator, as idle or at its maximum runtime), or it is still ' +
          'starting. Your files are safe in your home, and in the snapshot taken when it stopped: start a new ' +
          'session, or open that snapshot, from your sessions.',
      };
    case 'unknown':
      return {
        title: `No session ${session}`,
        body: 'Nothing runs at this address: it may be mistyped, or the session was removed.',
      };
    default:
      return { title: 'This is not a session address', body: 'Sessions live at s-<name>.<network>.<domain>.' };
  }
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A small page in the console's colours (light and dark) for a browser that opened a session address
 * that did not open; scripts keep getting problem+json. It carries no script and loads nothing.
 */
export function sessionPage(reason: DenialReason, slug: string | null, consoleUrl: URL, requestId: string): string {
  const { title, body } = textFor(reason, slug);
  const sessions = new URL('/sessions', consoleUrl).toString();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · MedForge</title>
<style>
:root { color-scheme: light dark; --bg: light-dark(#f7f8fa, #16181d); --fg: light-dark(#1d2127, #e6e8eb);
  --muted: light-dark(#5b6470, #9aa3ad); --accent: light-dark(#1f5fbf, #7fb0ff); }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 34rem; padding: 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 0.75rem; }
a { color: var(--accent); }
.muted { color: var(--muted); font-size: 0.85rem; }
</style>
</head>
<body>
<main>
<h1>${escape(title)}</h1>
<p>${escape(body)}</p>
<p><a href="${escape(sessions)}">Go to your sessions</a></p>
<p class="muted">MedForge · request ${escape(requestId)}</p>
</main>
</body>
</html>
`;
}
