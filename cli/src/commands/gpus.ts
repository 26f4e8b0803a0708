import { GpuRegistry } from '@medforge/session-runtime';
import { DomainError } from '@medforge/shared-schema';

import type { CliConfig } from '../config';
import { withDatabase } from '../databases';
import { CliError, type Output, table } from '../output';

/**
 * `medforge gpus [list | enable <index> | disable <index>]`, straight on session-runtime's database so
 * it works while the platform is down (who holds a GPU: its active session, and that user's email from
 * identity's database). Allocation reads the flag, so a change applies to the next start.
 */
export async function gpus(config: CliConfig, args: string[], out: Output): Promise<void> {
  const [action = 'list', indexText] = args;
  await withDatabase(config, config.SESSION_DB_NAME, async (knex) => {
    const registry = new GpuRegistry(knex);
    if (action === 'list') {
      const rows = await registry.list();
      if (rows.length === 0) return out.line('no GPUs in the inventory (has session-runtime started once?)');
      const holders = await registry.holders();
      const emails = await emailsOf(
        config,
        [...holders.values()].map((session) => session.user_id),
      );
      const heldBy = (index: number) => {
        const session = holders.get(index);
        return session ? `${session.slug} ${session.status} (${emails.get(session.user_id) ?? session.user_id})` : '-';
      };
      const header = ['INDEX', 'NAME', 'MEMORY', 'ENABLED', 'PRESENT', 'HELD BY', 'UUID'];
      const body = rows.map((gpu) => [
        String(gpu.id),
        gpu.name,
        `${Math.round(gpu.memory_mib / 1024)} GiB`,
        gpu.enabled ? 'yes' : 'no',
        gpu.present ? 'yes' : 'no',
        heldBy(gpu.id),
        gpu.uuid,
      ]);
      table([header, ...body]).forEach((line) => out.line(line));
      return;
    }
    if (action !== 'enable' && action !== 'disable') throw new CliError(`unknown gpus action "${action}"`);
    const index = Number(indexText);
    if (!indexText || !Number.isInteger(index) || index < 0)
      throw new CliError(`usage: medforge gpus ${action} <index>   (a GPU index from "medforge gpus list")`);
    try {
      const gpu = await registry.setEnabled(index, action === 'enable');
      out.line(`GPU ${gpu.id} (${gpu.name}) ${gpu.enabled ? 'enabled' : 'disabled'}`);
    } catch (error) {
      if (error instanceof DomainError) throw new CliError(error.message);
      throw error;
    }
  });
}

/** The email of each of these users, from identity's database. */
async function emailsOf(config: CliConfig, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  return await withDatabase(config, config.IDENTITY_DB_NAME, async (knex) => {
    const users = (await knex('users').whereIn('id', userIds).select('id', 'email')) as Array<{
      id: string;
      email: string;
    }>;
    return new Map(users.map((user) => [user.id, user.email]));
  });
}
