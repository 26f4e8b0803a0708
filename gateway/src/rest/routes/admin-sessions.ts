import { DomainError, graphqlEnumName, SessionStatus } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { intQuery, uuidParam } from '../params';
import { sendData } from '../respond';
import { USER_FIELDS } from './fields';
import { SESSION_FIELDS } from './sessions';

const GPU_FIELDS = `index uuid name memory_mib: memoryMib enabled present is_virtual: isVirtual`;

const AllSessions = defineOperation(`query AllSessions($status: SessionStatus, $limit: Int!, $offset: Int!) {
  allSessions(status: $status, limit: $limit, offset: $offset) {
    total sessions { ${SESSION_FIELDS} gpu { index } user { ${USER_FIELDS} } } } }`);
const AdminStopSession = defineOperation(
  `mutation AdminStopSession($id: ID!) { stopSession(id: $id) { ${SESSION_FIELDS} } }`,
);
const Gpus = defineOperation(
  `query Gpus { gpus { ${GPU_FIELDS} held_by: heldBy { id slug status user { id email } } } }`,
);
const SetGpuEnabled = defineOperation(`mutation SetGpuEnabled($index: Int!, $enabled: Boolean!) {
  setGpuEnabled(index: $index, enabled: $enabled) { ${GPU_FIELDS} } }`);

/** The REST shim takes the stored (lowercase) values, as its responses and the OpenAPI document do. */
const STATUSES: ReadonlySet<string> = new Set(Object.values(SessionStatus));

function gpuIndex(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value))
    throw new DomainError('BAD_USER_INPUT', 'GPU index must be a number');
  return Number(value);
}

/** /admin/sessions (all, force stop) and /admin/gpus (inventory, enable, disable). */
export function adminSessionRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/admin/sessions',
    asyncRoute(async (req, res) => {
      const raw = req.query['status'];
      if (raw !== undefined && (typeof raw !== 'string' || !STATUSES.has(raw))) {
        throw new DomainError('BAD_USER_INPUT', `status must be one of ${[...STATUSES].join(', ')}`);
      }
      const limit = intQuery(req.query['limit'], 'limit', 50, 1, 200);
      const offset = intQuery(req.query['offset'], 'offset', 0, 0, 10_000_000);
      const data = await runner.run<{ allSessions: { total: number; sessions: unknown[] } }>(res, AllSessions, {
        status: raw === undefined ? null : graphqlEnumName(SessionStatus, raw as SessionStatus),
        limit,
        offset,
      });
      if (data) sendData(res, data.allSessions.sessions, { total: data.allSessions.total, limit, offset });
    }),
  );

  router.post(
    '/admin/sessions/:id/stop',
    asyncRoute(async (req, res) => {
      const data = await runner.run<{ stopSession: unknown }>(res, AdminStopSession, {
        id: uuidParam(req.params['id']),
      });
      if (data) sendData(res, data.stopSession, {}, 202);
    }),
  );

  router.get(
    '/admin/gpus',
    asyncRoute(async (_req, res) => {
      const data = await runner.run<{ gpus: unknown[] }>(res, Gpus);
      if (data) sendData(res, data.gpus, { count: data.gpus.length });
    }),
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    router.post(
      `/admin/gpus/:index/${action}`,
      asyncRoute(async (req, res) => {
        const data = await runner.run<{ setGpuEnabled: unknown }>(res, SetGpuEnabled, {
          index: gpuIndex(req.params['index']),
          enabled,
        });
        if (data) sendData(res, data.setGpuEnabled);
      }),
    );
  }

  return router;
}
