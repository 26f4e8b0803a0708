import type { IncomingMessage } from 'node:http';

import { isGraphQLRequestWithBody } from '../src/http/graphql-endpoint';
import { isSessionProxyRequest } from '../src/routing/session-proxy-endpoint';

const request = (method: string, url: string) => ({ method, url }) as IncomingMessage;

/** Which requests skip Express: a mistake here would send the IDE, REST or GET queries to the wrong handler. */
describe('the plain node:http routes ahead of Express', () => {
  it.each([
    ['POST', '/graphql'],
    ['POST', '/graphql?operationName=Me'],
    ['PUT', '/graphql'],
    ['OPTIONS', '/graphql'],
  ])('%s %s is served by the GraphQL endpoint', (method, url) =>
    expect(isGraphQLRequestWithBody(request(method, url))).toBe(true),
  );

  it.each([
    ['GET', '/graphql'],
    ['GET', '/graphql?query=%7B__typename%7D'],
    ['HEAD', '/graphql'],
    ['POST', '/graphql/ide/'],
    ['POST', '/graphqlx'],
    ['POST', '/api/v2/auth/login'],
    ['POST', '/'],
  ])('%s %s stays with Express', (method, url) => expect(isGraphQLRequestWithBody(request(method, url))).toBe(false));

  it('keeps the forward-auth endpoint and the GraphQL endpoint apart', () => {
    expect(isSessionProxyRequest(request('GET', '/api/v2/auth/session-proxy?x=1'))).toBe(true);
    expect(isGraphQLRequestWithBody(request('GET', '/api/v2/auth/session-proxy'))).toBe(false);
    expect(isSessionProxyRequest(request('POST', '/graphql'))).toBe(false);
  });
});
