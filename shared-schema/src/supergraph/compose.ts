import { readFileSync } from 'node:fs';

import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

import { SUBGRAPHS, subgraphSdlPath } from './subgraph-list';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`Supergraph composition failed:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes subgraph SDLs in-process with @apollo/composition, as the gateway will load it. */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return `${result.supergraphSdl.trim()}\n`;
}

export function readCommittedSubgraphSdls(): SubgraphSdl[] {
  return SUBGRAPHS.map((s) => ({ name: s.name, url: s.devUrl, sdl: readFileSync(subgraphSdlPath(s.name), 'utf8') }));
}
