import { DomainError, graphqlEnumName, SessionStatus } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  AdminStopSessionDocument,
  AllSessionsDocument,
  GpusDocument,
  SetGpuEnabledDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { intQuery, uuidParam } from '../params';
import { sendData } from '../respond';

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
      const data = await runner.run(res, AllSessionsDocument, {
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
      const data = await runner.run(res, AdminStopSessionDocument, {
        id: uuidParam(req.params['id']),
      });
      if (data) sendData(res, data.stopSession, {}, 202);
    }),
  );

  router.get(
    '/admin/gpus',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, GpusDocument);
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
        const data = await runner.run(res, SetGpuEnabledDocument, {
          index: gpuIndex(req.params['index']),
          enabled,
        });
        if (data) sendData(res, data.setGpuEnabled);
      }),
    );
  }

  return router;
}
