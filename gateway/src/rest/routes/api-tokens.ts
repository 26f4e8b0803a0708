import { API_SCOPES, DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  AllApiTokensDocument,
  CreateApiTokenDocument,
  MyApiTokensDocument,
  RevokeApiTokenDocument,
  type ApiTokenScope,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { intQuery, jsonBody, stringField, uuidParam } from '../params';
import { sendData } from '../respond';

/** `["read", "SUBMIT"]` → `[READ, SUBMIT]` (either case); anything else is the client's error. */
function scopesField(body: Record<string, unknown>): ApiTokenScope[] {
  const value = body['scopes'];
  const known = (scope: unknown) =>
    typeof scope === 'string' && (API_SCOPES as readonly string[]).includes(scope.toLowerCase());
  if (!Array.isArray(value) || !value.every(known)) {
    throw new DomainError('BAD_USER_INPUT', `scopes must be a list of ${API_SCOPES.join(', ')}`, { field: 'scopes' });
  }
  return (value as string[]).map((scope) => scope.toUpperCase() as ApiTokenScope);
}

function expiresInDaysField(body: Record<string, unknown>): number | null {
  const value = body['expires_in_days'];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DomainError('BAD_USER_INPUT', 'expires_in_days must be a whole number of days, or null', {
      field: 'expires_in_days',
    });
  }
  return value;
}

/** /me/tokens: your API tokens (create, list, revoke); /admin/tokens: everyone's (list, revoke). */
export function apiTokenRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/me/tokens',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, MyApiTokensDocument);
      if (!data) return;
      if (!data.me) throw new DomainError('UNAUTHENTICATED', 'Sign in to do this');
      sendData(res, data.me.api_tokens, { count: data.me.api_tokens.length });
    }),
  );

  router.post(
    '/me/tokens',
    asyncRoute(async (req, res) => {
      const body = jsonBody(req.body);
      const input = {
        name: stringField(body, 'name'),
        scopes: scopesField(body),
        expiresInDays: expiresInDaysField(body),
      };
      const data = await runner.run(res, CreateApiTokenDocument, { input });
      if (data) sendData(res, data.createApiToken, {}, 201);
    }),
  );

  for (const path of ['/me/tokens/:id', '/admin/tokens/:id']) {
    router.delete(
      path,
      asyncRoute(async (req, res) => {
        const data = await runner.run(res, RevokeApiTokenDocument, {
          id: uuidParam(req.params['id']),
        });
        if (data) sendData(res, data.revokeApiToken);
      }),
    );
  }

  router.get(
    '/admin/tokens',
    asyncRoute(async (req, res) => {
      const limit = intQuery(req.query['limit'], 'limit', 50, 1, 200);
      const offset = intQuery(req.query['offset'], 'offset', 0, 0, 10_000_000);
      const userId = req.query['user_id'] === undefined ? null : uuidParam(req.query['user_id'], 'user_id');
      const data = await runner.run(res, AllApiTokensDocument, {
        userId,
        limit,
        offset,
      });
      if (data) sendData(res, data.apiTokens.tokens, { total: data.apiTokens.total, limit, offset });
    }),
  );

  return router;
}
