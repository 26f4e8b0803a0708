/**
 * A ready `~/.ssh/config` entry for a running session. Every session of a user presents the same host
 * key (kept in their home), so one HostKeyAlias per user keeps a single known_hosts line valid whatever
 * port a session gets.
 */
export function sshConfigEntry(
  session: { slug: string; name: string | null; sshPort: number; userId: string },
  sshHost: string,
): string {
  const alias = `medforge-${(session.name ?? session.slug).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
  return [
    `# MedForge session ${session.slug}${session.name ? ` ("${session.name}")` : ''}: a new session has a new port,`,
    '# so copy the entry again then; its host key stays the same.',
    `Host ${alias}`,
    `  HostName ${sshHost}`,
    `  Port ${session.sshPort}`,
    '  User coder',
    `  HostKeyAlias medforge-home-${session.userId.slice(0, 8)}`,
    '',
  ].join('\n');
}
