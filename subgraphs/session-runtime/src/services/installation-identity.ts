import { randomUUID } from 'node:crypto';

import { ConfigError, type Knex, type Logger } from '@medforge/shared-schema';

import { type ContainerRuntime, instanceClaimVolume } from '../ports/container-runtime';

/**
 * Who this installation is: an id made once and kept in its own database, and its claim on its instance
 * name on the container engine. A second installation given the same instance name (a staging beside
 * production, a benchmark beside `npm run up`) refuses to start instead of taking the first one's
 * sessions for orphans.
 */
export async function establishInstallation(
  knex: Knex,
  runtime: ContainerRuntime,
  instance: string,
  logger: Logger,
): Promise<string> {
  const id = await installationId(knex);
  const claim = await runtime.claimInstance(id);
  if (claim.installationId !== id) {
    throw new ConfigError([
      `MEDFORGE_INSTANCE "${instance}" is already used on this container engine by another MedForge installation ` +
        `(installation ${claim.installationId}, since ${claim.claimedAt || 'an unknown time'}); each installation ` +
        `sharing an engine needs its own instance name, or each would take the other's sessions for orphans. ` +
        `Set another MEDFORGE_INSTANCE for this one; if that installation is gone for good, remove its claim ` +
        `(docker volume rm ${instanceClaimVolume(instance)}) and its session containers first.`,
    ]);
  }
  logger.info({ installation_id: id, instance }, 'installation identified');
  return id;
}

/** The installation's id from its database, made on first start (concurrent starts agree on one). */
async function installationId(knex: Knex): Promise<string> {
  await knex('installation').insert({ singleton: 1, id: randomUUID() }).onConflict('singleton').ignore();
  const row = (await knex('installation').where({ singleton: 1 }).first('id')) as { id: string };
  return row.id;
}
