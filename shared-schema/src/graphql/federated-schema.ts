import 'reflect-metadata';

import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, type BuildSchemaOptions, createResolversMap } from 'type-graphql';

import { sharedScalarsMap } from './scalars';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@inaccessible"])';

export type ReferenceResolvers = Record<
  string,
  { __resolveReference(reference: Record<string, unknown>, context: unknown): unknown }
>;

export type FederatedSchemaOptions = Omit<BuildSchemaOptions, 'skipCheck' | 'scalarsMap'>;

/**
 * type-graphql builds a plain schema from decorators; @apollo/subgraph turns its SDL (with the @key
 * directives kept) into a subgraph schema. Entity reference resolvers are merged in by type name.
 */
export async function buildFederatedSchema(
  options: FederatedSchemaOptions,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const plain = await buildSchema({
    ...options,
    skipCheck: true,
    scalarsMap: sharedScalarsMap,
    validate: options.validate ?? { forbidUnknownValues: false },
  });
  const resolvers = createResolversMap(plain) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as never;
  }
  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(plain)}
    `,
    resolvers,
  });
}

/** The SDL the subgraph contributes to composition (committed under shared-schema/schema/). */
export function printFederatedSdl(schema: GraphQLSchema): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}
