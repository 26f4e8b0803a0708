import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  ListUsersDocument,
  SetUserDisabledDocument,
  SetUserInternalAccessDocument,
  SetUserRoleDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { booleanField, intQuery, jsonBody, stringField, uuidParam } from '../params';
import { sendData } from '../respond';

/** /admin/users: list, grant or revoke INTERNAL access, promote and demote, disable and enable. */
export function adminUserRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/admin/users',
    asyncRoute(async (req, res) => {
      const limit = intQuery(req.query['limit'], 'limit', 50, 1, 200);
      const offset = intQuery(req.query['offset'], 'offset', 0, 0, 10_000_000);
      const search = typeof req.query['search'] === 'string' ? req.query['search'] : null;
      const data = await runner.run(res, ListUsersDocument, {
        limit,
        offset,
        search,
      });
      if (data) sendData(res, data.users.users, { total: data.users.total, limit, offset });
    }),
  );

  router.post(
    '/admin/users/:id/internal-access',
    asyncRoute(async (req, res) => {
      const userId = uuidParam(req.params['id']);
      const allowed = booleanField(jsonBody(req.body), 'allowed');
      const data = await runner.run(res, SetUserInternalAccessDocument, { userId, allowed });
      if (data) sendData(res, data.setUserInternalAccess);
    }),
  );

  router.post(
    '/admin/users/:id/role',
    asyncRoute(async (req, res) => {
      const userId = uuidParam(req.params['id']);
      const role = stringField(jsonBody(req.body), 'role').toUpperCase();
      if (role !== 'ADMIN' && role !== 'USER') {
        throw new DomainError('BAD_USER_INPUT', 'role must be ADMIN or USER', { field: 'role' });
      }
      const data = await runner.run(res, SetUserRoleDocument, { userId, role });
      if (data) sendData(res, data.setUserRole);
    }),
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    router.post(
      `/admin/users/:id/${action}`,
      asyncRoute(async (req, res) => {
        const userId = uuidParam(req.params['id']);
        const data = await runner.run(res, SetUserDisabledDocument, { userId, disabled });
        if (data) sendData(res, data.setUserDisabled);
      }),
    );
  }

  return router;
}
