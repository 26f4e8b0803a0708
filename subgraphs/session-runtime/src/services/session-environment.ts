import { Exposure, SESSION_DATA_MOUNTS } from '@medforge/shared-schema';

import { PACK_LAYOUT } from '../ports/container-runtime';
import type { SessionRow } from '../db/models/session.model';

/** What every session's programs are told, whatever runtime places it. */
export interface SessionEnvironmentInputs {
  row: SessionRow;
  gpuId: number;
  authorizedKeys: readonly string[];
  /** The owner's submit-only token; null when identity could not mint one. */
  token: string | null;
  /** The platform's public URL (`medforge submit`). */
  publicUrl: string;
  /** The package index INTERNAL sessions install from (pip's PIP_INDEX_URL); null: none. */
  internalPackageIndex: string | null;
}

/** The environment of a session's programs: who and where it is, how it reaches the platform, where pip looks. */
export function sessionEnvironment(inputs: SessionEnvironmentInputs): Record<string, string> {
  const { row } = inputs;
  return {
    HOME: PACK_LAYOUT.home,
    MEDFORGE_SESSION_ID: row.id,
    MEDFORGE_USER_ID: row.user_id,
    MEDFORGE_EXPOSURE: row.exposure.toUpperCase(),
    MEDFORGE_GPU_ID: String(inputs.gpuId),
    MEDFORGE_SSH_AUTHORIZED_KEYS: inputs.authorizedKeys.join('\n'),
    MEDFORGE_TRAINING_DATA: SESSION_DATA_MOUNTS.training,
    MEDFORGE_PUBLIC_EVAL_DATA: SESSION_DATA_MOUNTS.publicEval,
    MEDFORGE_URL: inputs.publicUrl,
    ...(inputs.token ? { MEDFORGE_TOKEN: inputs.token } : {}),
    ...(row.viewed_snapshot ? { MEDFORGE_SNAPSHOT: PACK_LAYOUT.snapshot } : {}),
    ...(row.exposure === Exposure.INTERNAL ? packageIndexEnv(inputs.internalPackageIndex) : {}),
  };
}

/** pip's settings for the INTERNAL package index (plain http needs the host marked trusted). */
function packageIndexEnv(index: string | null): Record<string, string> {
  if (!index) return {};
  const url = new URL(index);
  return { PIP_INDEX_URL: index, ...(url.protocol === 'http:' ? { PIP_TRUSTED_HOST: url.host } : {}) };
}
