import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { jsonBody, optionalStringField, uuidParam } from '../params';
import { sendData } from '../respond';

export const SESSION_FIELDS = `
  id slug name exposure status ssh_port: sshPort error_message: errorMessage snapshot_name: snapshotName
  viewed_snapshot_name: viewedSnapshotName limits { cpus memory_mib: memoryMib pids shm_mib: shmMib }
  start_phase: startPhase stop_scheduled_at: stopScheduledAt stop_scheduled_reason: stopScheduledReason
  stop_reason: stopReason last_activity_at: lastActivityAt activity_reason: activityReason
  keep_alive_until: keepAliveUntil idle_stop_at: idleStopAt max_runtime_stop_at: maxRuntimeStopAt
  ssh_config: sshConfig
  created_at: createdAt started_at: startedAt stopped_at: stoppedAt pack { id name }`;

const CurrentSessions = defineOperation(`query CurrentSessions($exposure: Exposure!) {
  currentSessions(exposure: $exposure) { ${SESSION_FIELDS} } }`);
const CreateSession =
  defineOperation(`mutation CreateSession($exposure: Exposure!, $packId: ID, $snapshotId: ID, $name: String) {
  createSession(exposure: $exposure, packId: $packId, snapshotId: $snapshotId, name: $name) { ${SESSION_FIELDS} } }`);
const StopSession = defineOperation(`mutation StopSession($id: ID!, $exposure: Exposure!) {
  stopSession(id: $id, exposure: $exposure) { ${SESSION_FIELDS} } }`);
const KeepSessionAlive = defineOperation(`mutation KeepSessionAlive($id: ID!, $exposure: Exposure!, $hours: Float) {
  keepSessionAlive(id: $id, exposure: $exposure, hours: $hours) { ${SESSION_FIELDS} } }`);

const EXPOSURES = { external: 'EXTERNAL', internal: 'INTERNAL' } as const;

function exposureParam(value: unknown): 'EXTERNAL' | 'INTERNAL' {
  if (value === 'external' || value === 'internal') return EXPOSURES[value];
  throw new DomainError('NOT_FOUND', 'Unknown exposure: use /external/ or /internal/');
}

/** /{external,internal}/sessions: current, create, stop (202, idempotent), keep running. */
export function sessionRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/:exposure/sessions/current',
    asyncRoute(async (req, res) => {
      const exposure = exposureParam(req.params['exposure']);
      const data = await runner.run<{ currentSessions: unknown[] }>(res, CurrentSessions, { exposure });
      if (data) sendData(res, data.currentSessions, { count: data.currentSessions.length });
    }),
  );

  router.post(
    '/:exposure/sessions',
    asyncRoute(async (req, res) => {
      const exposure = exposureParam(req.params['exposure']);
      const body = req.body === undefined ? {} : jsonBody(req.body);
      const optionalUuid = (field: string) =>
        body[field] === undefined || body[field] === null ? null : uuidParam(body[field], field);
      const name = optionalStringField(body, 'name');
      const variables = { exposure, packId: optionalUuid('pack_id'), snapshotId: optionalUuid('snapshot_id'), name };
      const data = await runner.run<{ createSession: unknown }>(res, CreateSession, variables);
      if (data) sendData(res, data.createSession, {}, 201);
    }),
  );

  router.post(
    '/:exposure/sessions/:id/stop',
    asyncRoute(async (req, res) => {
      const exposure = exposureParam(req.params['exposure']);
      const id = uuidParam(req.params['id']);
      const data = await runner.run<{ stopSession: unknown }>(res, StopSession, { id, exposure });
      if (data) sendData(res, data.stopSession, {}, 202);
    }),
  );

  router.post(
    '/:exposure/sessions/:id/keepalive',
    asyncRoute(async (req, res) => {
      const exposure = exposureParam(req.params['exposure']);
      const id = uuidParam(req.params['id']);
      const body = req.body === undefined ? {} : jsonBody(req.body);
      const hours = body['hours'] === undefined || body['hours'] === null ? null : body['hours'];
      if (hours !== null && typeof hours !== 'number') {
        throw new DomainError('BAD_USER_INPUT', 'hours must be a number');
      }
      const data = await runner.run<{ keepSessionAlive: unknown }>(res, KeepSessionAlive, { id, exposure, hours });
      if (data) sendData(res, data.keepSessionAlive);
    }),
  );

  return router;
}
