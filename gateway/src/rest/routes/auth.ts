import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  AddSshKeyDocument,
  DeleteSshKeyDocument,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  MySshKeysDocument,
  SignUpDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { jsonBody, optionalStringField, stringField, uuidParam } from '../params';
import { sendData } from '../respond';

const signedOut = () => new DomainError('UNAUTHENTICATED', 'Sign in to do this');

/** /auth/signup, /auth/login, /auth/logout, /me and the caller's SSH keys. */
export function authRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.post(
    '/auth/signup',
    asyncRoute(async (req, res) => {
      const body = jsonBody(req.body);
      const input = {
        email: stringField(body, 'email'),
        password: stringField(body, 'password'),
        displayName: optionalStringField(body, 'display_name'),
        inviteToken: optionalStringField(body, 'invite_token'),
      };
      const data = await runner.run(res, SignUpDocument, { input });
      if (data) sendData(res, data.signUp, {}, 201);
    }),
  );

  router.post(
    '/auth/login',
    asyncRoute(async (req, res) => {
      const body = jsonBody(req.body);
      const input = { email: stringField(body, 'email'), password: stringField(body, 'password') };
      const data = await runner.run(res, LoginDocument, { input });
      if (data) sendData(res, data.login);
    }),
  );

  router.post(
    '/auth/logout',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, LogoutDocument);
      if (data) sendData(res, { signed_out: data.logout });
    }),
  );

  router.get(
    '/me',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, MeDocument);
      if (!data) return;
      if (!data.me) throw signedOut();
      sendData(res, data.me);
    }),
  );

  router.get(
    '/me/ssh-keys',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, MySshKeysDocument);
      if (!data) return;
      if (!data.me) throw signedOut();
      sendData(res, data.me.ssh_keys, { count: data.me.ssh_keys.length });
    }),
  );

  router.post(
    '/me/ssh-keys',
    asyncRoute(async (req, res) => {
      const body = jsonBody(req.body);
      const input = { name: stringField(body, 'name'), publicKey: stringField(body, 'public_key') };
      const data = await runner.run(res, AddSshKeyDocument, { input });
      if (data) sendData(res, data.addSshKey, {}, 201);
    }),
  );

  router.delete(
    '/me/ssh-keys/:id',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run(res, DeleteSshKeyDocument, { id });
      if (data) sendData(res, { deleted: data.deleteSshKey });
    }),
  );

  return router;
}
