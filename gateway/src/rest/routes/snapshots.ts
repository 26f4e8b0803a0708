import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  DeleteSnapshotDocument,
  HomeRestoreDocument,
  MySnapshotsDocument,
  RestoreSnapshotDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { uuidParam } from '../params';
import { sendData } from '../respond';

/**
 * /me/snapshots: the snapshots of your home; restore one into the home (202, then follow
 * /me/restores/{id}) or delete one to free its space.
 */
export function snapshotRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/me/snapshots',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, MySnapshotsDocument);
      if (data) sendData(res, data.mySnapshots, { count: data.mySnapshots.length });
    }),
  );

  router.delete(
    '/me/snapshots/:id',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run(res, DeleteSnapshotDocument, { id });
      if (data) sendData(res, { deleted: true, id: data.deleteSnapshot });
    }),
  );

  router.post(
    '/me/snapshots/:id/restore',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run(res, RestoreSnapshotDocument, { id });
      if (data) sendData(res, data.restoreSnapshot, {}, 202);
    }),
  );

  router.get(
    '/me/restores/:id',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run(res, HomeRestoreDocument, { id });
      if (!data) return;
      if (!data.homeRestore) throw new DomainError('NOT_FOUND', `No restore with id ${id}`);
      sendData(res, data.homeRestore);
    }),
  );

  return router;
}
