import type { Migration } from '@medforge/shared-schema';

import { initial } from './0001_initial';
import { containerAddress } from './0002_container_address';
import { workspaceSnapshots } from './0003_workspace_snapshots';
import { sessionLimits } from './0004_session_limits';
import { installation } from './0005_installation';
import { sessionActivity } from './0006_session_activity';
import { sessionQueue } from './0007_session_queue';
import { gpuReservations } from './0008_gpu_reservations';

/** Applied in this order; append, never edit a released migration. */
export const sessionMigrations: readonly Migration[] = [
  initial,
  containerAddress,
  workspaceSnapshots,
  sessionLimits,
  installation,
  sessionActivity,
  sessionQueue,
  gpuReservations,
];
