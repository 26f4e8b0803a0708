import { readFileSync } from 'node:fs';

import {
  composeSupergraph,
  CompositionError,
  printPublicApiSchema,
  PUBLIC_API_SCHEMA_PATH,
  readCommittedSubgraphSdls,
  SUPERGRAPH_PATH,
} from '../src';

describe('committed supergraph', () => {
  it('is exactly what composing the committed subgraph SDLs produces (run `npm run schema:write`)', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph(readCommittedSubgraphSdls()));
  });

  it('public API schema is what clients see: no @inaccessible field, the subscriptions included', () => {
    const api = readFileSync(PUBLIC_API_SCHEMA_PATH, 'utf8');
    expect(api).toBe(printPublicApiSchema(readCommittedSubgraphSdls()));
    expect(api).toContain('sessionUpdated(id: ID): Session!');
    for (const hidden of ['sessionRoute', 'resolveLoginSession', 'sessionAuthorizedKeys', 'join__', '@key']) {
      expect(api).not.toContain(hidden);
    }
  });

  it('reports composition conflicts instead of producing a supergraph', () => {
    const sdl = (type: string) => `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { thing: Thing }
      type Thing { id: ${type} }`;
    expect(() =>
      composeSupergraph([
        { name: 'a', url: 'http://a/graphql', sdl: sdl('ID!') },
        { name: 'b', url: 'http://b/graphql', sdl: sdl('Int!') },
      ]),
    ).toThrow(CompositionError);
  });
});
