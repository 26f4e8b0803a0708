import { readFileSync } from 'node:fs';

import { composeServices } from '@apollo/composition';
import { extendSchema, parse, printSchema } from 'graphql';

import { SUBGRAPHS, subgraphSdlPath } from './subgraph-list';
import { SUBSCRIPTION_SDL } from './subscription-sdl';

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

function compose(subgraphs: readonly SubgraphSdl[]) {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return result;
}

/** Composes subgraph SDLs in-process with @apollo/composition, as the gateway will load it. */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): string {
  return `${compose(subgraphs).supergraphSdl.trim()}\n`;
}

/**
 * The public API as clients see it: the supergraph's API schema (no @inaccessible fields, no federation
 * machinery) plus the gateway's subscriptions. The console generates its types from it.
 */
export function printPublicApiSchema(subgraphs: readonly SubgraphSdl[]): string {
  const api = compose(subgraphs).schema.toAPISchema().toGraphQLJSSchema();
  return `${printSchema(extendSchema(api, parse(SUBSCRIPTION_SDL))).trim()}\n`;
}

export function readCommittedSubgraphSdls(): SubgraphSdl[] {
  return SUBGRAPHS.map((s) => ({ name: s.name, url: s.devUrl, sdl: readFileSync(subgraphSdlPath(s.name), 'utf8') }));
}
