import { AdminApi } from '../admin-api';
import type { CliConfig } from '../config';
import { CliError, type Output, table } from '../output';

interface SessionRow {
  id: string;
  slug: string;
  name: string | null;
  exposure: string;
  status: string;
  created_at: string;
  gpu: { index: number };
  user: { email: string };
  snapshot_name: string | null;
}

/** `medforge sessions [list [status] | stop <id>]` through the API, as an administrator. */
export async function sessions(config: CliConfig, args: string[], out: Output): Promise<void> {
  const [action = 'list', argument] = args;
  const api = new AdminApi(config);
  if (action === 'list') {
    const query = argument ? `?status=${encodeURIComponent(argument)}&limit=200` : '?limit=200';
    const { data } = await api.request<SessionRow[]>('GET', `/api/v2/admin/sessions${query}`);
    if (data.length === 0) return out.line(argument ? `no ${argument} sessions` : 'no sessions');
    const header = ['ID', 'SLUG', 'NAME', 'STATUS', 'EXPOSURE', 'GPU', 'USER', 'CREATED'];
    const body = data.map((s) => [
      s.id,
      s.slug,
      s.name ?? '-',
      s.status,
      s.exposure,
      String(s.gpu.index),
      s.user.email,
      s.created_at,
    ]);
    table([header, ...body]).forEach((line) => out.line(line));
    return;
  }
  if (action === 'stop') {
    if (!argument) throw new CliError('usage: medforge sessions stop <session-id>');
    const { data } = await api.request<SessionRow>(
      'POST',
      `/api/v2/admin/sessions/${encodeURIComponent(argument)}/stop`,
    );
    out.line(`session ${data.slug} is ${data.status} (it snapshots its workspace and ends STOPPED)`);
    return;
  }
  throw new CliError(`unknown sessions action "${action}"`);
}

/**
 * `medforge ssh-config`: ready ~/.ssh/config entries for the token owner's running EXTERNAL sessions (any
 * token with READ or SESSIONS); the same host key for all of them, so known_hosts stays valid.
 */
export async function sshConfig(config: CliConfig, out: Output): Promise<void> {
  const api = new AdminApi(config);
  const { data } = await api.request<Array<{ slug: string; ssh_config: string | null }>>(
    'GET',
    '/api/v2/external/sessions/current',
  );
  const entries = data.map((s) => s.ssh_config).filter((entry): entry is string => entry !== null);
  if (entries.length === 0) throw new CliError('no running session with SSH: start one first (console or API)');
  out.line(entries.join('\n'));
}
