import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { uuidParam } from '../params';
import { sendData } from '../respond';

const SNAPSHOT_FIELDS = `
  id name created_at: createdAt reason size_bytes: sizeBytes unique_bytes: uniqueBytes session { id slug }`;

const MySnapshots = defineOperation(`query MySnapshots { mySnapshots { ${SNAPSHOT_FIELDS} } }`);
const DeleteSnapshot = defineOperation(`mutation DeleteSnapshot($id: ID!) { deleteSnapshot(id: $id) }`);
const RESTORE_FIELDS = `
  id status snapshot_name: snapshotName safety_snapshot_name: safetySnapshotName error_message: errorMessage
  created_at: createdAt finished_at: finishedAt`;
const RestoreSnapshot = defineOperation(`mutation RestoreSnapshot($id: ID!) {
  restoreSnapshot(id: $id) { ${RESTORE_FIELDS} } }`);
const HomeRestore = defineOperation(`query HomeRestore($id: ID!) { homeRestore(id: $id) { ${RESTORE_FIELDS} } }`);

/**
 * /me/snapshots: the snapshots of your home; restore one into the home (202, then follow
 * /me/restores/{id}) or delete one to free its space.
 */
export function snapshotRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/me/snapshots',
    asyncRoute(async (_req, res) => {
      const data = await runner.run<{ mySnapshots: unknown[] }>(res, MySnapshots);
      if (data) sendData(res, data.mySnapshots, { count: data.mySnapshots.length });
    }),
  );

  router.delete(
    '/me/snapshots/:id',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run<{ deleteSnapshot: string }>(res, DeleteSnapshot, { id });
      if (data) sendData(res, { deleted: true, id: data.deleteSnapshot });
    }),
  );

  router.post(
    '/me/snapshots/:id/restore',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run<{ restoreSnapshot: unknown }>(res, RestoreSnapshot, { id });
      if (data) sendData(res, data.restoreSnapshot, {}, 202);
    }),
  );

  router.get(
    '/me/restores/:id',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run<{ homeRestore: unknown }>(res, HomeRestore, { id });
      if (!data) return;
      if (!data.homeRestore) throw new DomainError('NOT_FOUND', `No restore with id ${id}`);
      sendData(res, data.homeRestore);
    }),
  );

  return router;
}
