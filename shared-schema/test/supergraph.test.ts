import { readFileSync } from 'node:fs';

import { composeSupergraph, CompositionError, readCommittedSubgraphSdls, SUPERGRAPH_PATH } from '../src';

describe('committed supergraph', () => {
  it('is exactly what composing the committed subgraph SDLs produces (run `npm run schema:write`)', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph(readCommittedSubgraphSdls()));
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
