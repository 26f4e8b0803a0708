import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { booleanField, intQuery, jsonBody, stringField, uuidParam } from '../params';
import { sendData } from '../respond';
import { USER_FIELDS } from './fields';

const ListUsers = defineOperation(`query ListUsers($limit: Int!, $offset: Int!, $search: String) {
  users(limit: $limit, offset: $offset, search: $search) { total users { ${USER_FIELDS} } } }`);
const SetInternalAccess = defineOperation(`mutation SetUserInternalAccess($userId: ID!, $allowed: Boolean!) {
  setUserInternalAccess(userId: $userId, allowed: $allowed) { ${USER_FIELDS} } }`);
const SetRole = defineOperation(`mutation SetUserRole($userId: ID!, $role: Role!) {
  setUserRole(userId: $userId, role: $role) { ${USER_FIELDS} } }`);
const SetDisabled = defineOperation(`mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {
  setUserDisabled(userId: $userId, disabled: $disabled) { ${USER_FIELDS} } }`);

/** /admin/users: list, grant or revoke INTERNAL access, promote and demote, disable and enable. */
export function adminUserRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/admin/users',
    asyncRoute(async (req, res) => {
      const limit = intQuery(req.query['limit'], 'limit', 50, 1, 200);
      const offset = intQuery(req.query['offset'], 'offset', 0, 0, 10_000_000);
      const search = typeof req.query['search'] === 'string' ? req.query['search'] : null;
      const data = await runner.run<{ users: { total: number; users: unknown[] } }>(res, ListUsers, {
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
      const data = await runner.run<{ setUserInternalAccess: unknown }>(res, SetInternalAccess, { userId, allowed });
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
      const data = await runner.run<{ setUserRole: unknown }>(res, SetRole, { userId, role });
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
        const data = await runner.run<{ setUserDisabled: unknown }>(res, SetDisabled, { userId, disabled });
        if (data) sendData(res, data.setUserDisabled);
      }),
    );
  }

  return router;
}
