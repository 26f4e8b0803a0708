import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  CreateSessionDocument,
  CurrentSessionsDocument,
  KeepSessionAliveDocument,
  StopSessionDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { booleanField, jsonBody, optionalStringField, uuidParam } from '../params';
import { sendData } from '../respond';

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
      const data = await runner.run(res, CurrentSessionsDocument, { exposure });
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
      const waitForGpu = body['wait_for_gpu'] === undefined ? false : booleanField(body, 'wait_for_gpu');
      const variables = {
        exposure,
        packId: optionalUuid('pack_id'),
        snapshotId: optionalUuid('snapshot_id'),
        name,
        waitForGpu,
      };
      const data = await runner.run(res, CreateSessionDocument, variables);
      if (data) sendData(res, data.createSession, {}, 201);
    }),
  );

  router.post(
    '/:exposure/sessions/:id/stop',
    asyncRoute(async (req, res) => {
      const exposure = exposureParam(req.params['exposure']);
      const id = uuidParam(req.params['id']);
      const data = await runner.run(res, StopSessionDocument, { id, exposure });
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
      const data = await runner.run(res, KeepSessionAliveDocument, { id, exposure, hours });
      if (data) sendData(res, data.keepSessionAlive);
    }),
  );

  return router;
}
