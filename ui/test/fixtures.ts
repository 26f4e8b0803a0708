import type { SessionSummary } from '../src/composables/sessions';

/** A running session as the API returns it. */
export const session: SessionSummary = {
  id: '1',
  slug: 'k3n7qz2a',
  exposure: 'EXTERNAL',
  status: 'RUNNING',
  sshPort: 10042,
  errorMessage: null,
  snapshotName: null,
  viewedSnapshotName: null,
  startPhase: null,
  startPhaseAt: null,
  stopScheduledAt: null,
  stopScheduledReason: null,
  stopReason: null,
  limits: { cpus: 4, memoryMib: 16384, shmMib: 2048 },
  createdAt: '2026-11-22T10:00:00.000Z',
  startedAt: '2026-11-22T10:00:05.000Z',
  stoppedAt: null,
  pack: { id: 'p1', name: 'medforge-dev' },
  gpu: { index: 3, name: 'NVIDIA H100' },
  user: { id: 'u1' },
};
