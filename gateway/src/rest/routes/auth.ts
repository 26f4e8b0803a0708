import { DomainError } from '@medforge/shared-schema';
import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { jsonBody, optionalStringField, stringField, uuidParam } from '../params';
import { sendData } from '../respond';
import { SSH_KEY_FIELDS, USER_FIELDS } from './fields';

const SignUp = defineOperation(`mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { expires_at: expiresAt user { ${USER_FIELDS} } } }`);
const Login = defineOperation(`mutation Login($input: LoginInput!) {
  login(input: $input) { expires_at: expiresAt user { ${USER_FIELDS} } } }`);
const Logout = defineOperation(`mutation Logout { logout }`);
const Me = defineOperation(`query Me { me { ${USER_FIELDS} } }`);
const MySshKeys = defineOperation(`query MySshKeys { me { ssh_keys: sshKeys { ${SSH_KEY_FIELDS} } } }`);
const AddSshKey = defineOperation(
  `mutation AddSshKey($input: AddSshKeyInput!) { addSshKey(input: $input) { ${SSH_KEY_FIELDS} } }`,
);
const DeleteSshKey = defineOperation(`mutation DeleteSshKey($id: ID!) { deleteSshKey(id: $id) }`);

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
      const data = await runner.run<{ signUp: unknown }>(res, SignUp, { input });
      if (data) sendData(res, data.signUp, {}, 201);
    }),
  );

  router.post(
    '/auth/login',
    asyncRoute(async (req, res) => {
      const body = jsonBody(req.body);
      const input = { email: stringField(body, 'email'), password: stringField(body, 'password') };
      const data = await runner.run<{ login: unknown }>(res, Login, { input });
      if (data) sendData(res, data.login);
    }),
  );

  router.post(
    '/auth/logout',
    asyncRoute(async (_req, res) => {
      const data = await runner.run<{ logout: boolean }>(res, Logout);
      if (data) sendData(res, { signed_out: data.logout });
    }),
  );

  router.get(
    '/me',
    asyncRoute(async (_req, res) => {
      const data = await runner.run<{ me: unknown }>(res, Me);
      if (!data) return;
      if (!data.me) throw signedOut();
      sendData(res, data.me);
    }),
  );

  router.get(
    '/me/ssh-keys',
    asyncRoute(async (_req, res) => {
      const data = await runner.run<{ me: { ssh_keys: unknown[] } | null }>(res, MySshKeys);
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
      const data = await runner.run<{ addSshKey: unknown }>(res, AddSshKey, { input });
      if (data) sendData(res, data.addSshKey, {}, 201);
    }),
  );

  router.delete(
    '/me/ssh-keys/:id',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run<{ deleteSshKey: boolean }>(res, DeleteSshKey, { id });
      if (data) sendData(res, { deleted: data.deleteSshKey });
    }),
  );

  return router;
}
