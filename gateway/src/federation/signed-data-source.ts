import { RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  CLEAR_LOGIN_HEADER,
  CONTEXT_HEADER,
  decodeIssuedLogin,
  ISSUE_LOGIN_HEADER,
  signContext,
} from '@medforge/shared-schema';

import type { GatewayContext } from '../context';
import { keepAliveFetch } from './keep-alive-fetcher';

type SendArgs = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0];
type ReceiveArgs = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

/**
 * Every fetch to a subgraph carries a freshly signed context. Requests the gateway makes on its own
 * (no request context) are signed as anonymous. Only the identity data source may issue or clear the
 * login cookie, through response headers that never reach clients.
 */
export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly signingSecret: string,
    private readonly managesLoginCookie: boolean,
  ) {
    super({ url, fetcher: keepAliveFetch as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override willSendRequest({ request, context }: SendArgs): void {
    const ctx = context as Partial<GatewayContext>;
    request.http?.headers.set(
      CONTEXT_HEADER,
      signContext(
        {
          requestId: ctx.requestId ?? 'gateway-internal',
          actor: ctx.actor ?? null,
          ...(ctx.clientIp ? { clientIp: ctx.clientIp } : {}),
          issuedAt: Date.now(),
        },
        this.signingSecret,
      ),
    );
  }

  override didReceiveResponse({ response, context }: ReceiveArgs) {
    const effects = (context as Partial<GatewayContext>).loginEffects;
    if (this.managesLoginCookie && effects && response.http) {
      const issued = response.http.headers.get(ISSUE_LOGIN_HEADER);
      const decoded = issued ? decodeIssuedLogin(issued) : null;
      if (decoded) effects.issued = decoded;
      if (response.http.headers.get(CLEAR_LOGIN_HEADER)) effects.cleared = true;
    }
    return response;
  }
}
