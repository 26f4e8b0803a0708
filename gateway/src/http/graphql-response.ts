import type { ServerResponse } from 'node:http';

import { type ErrorCode, httpStatusFor } from '@medforge/shared-schema';

import { REJECTED_TOKEN_MESSAGE } from '../auth/credential';

/** The challenge sent with every refusal of a bearer token (RFC 6750). */
export const REJECTED_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/** GraphQL's error shape (what GraphQL clients read), with the code's HTTP status. */
export function sendGraphQLError(res: ServerResponse, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(httpStatusFor(code), {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The 401 for a bearer token that does not work, as /graphql answers it on either server. */
export function refuseRejectedTokenAsGraphQL(res: ServerResponse): void {
  res.setHeader('WWW-Authenticate', REJECTED_TOKEN_CHALLENGE);
  sendGraphQLError(res, 'UNAUTHENTICATED', REJECTED_TOKEN_MESSAGE);
}
