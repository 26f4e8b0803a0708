import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { uuidParam } from '../params';
import { sendData } from '../respond';

const SNAPSHOT_FIELDS = `
  id name created_at: createdAt reason size_bytes: sizeBytes unique_bytes: uniqueBytes session { id slug }`;

const MySnapshots = defineOperation(`query MySnapshots { mySnapshots { ${SNAPSHOT_FIELDS} } }`);
const DeleteSnapshot = defineOperation(`mutation DeleteSnapshot($id: ID!) { deleteSnapshot(id: $id) }`);

/** /me/snapshots: the snapshots of your home; delete one to free its space. */
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

  return router;
}
