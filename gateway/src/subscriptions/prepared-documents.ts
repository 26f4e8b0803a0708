import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';

import { queryLimitRules } from '../plugins/query-limits';

type Prepared = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/** How many distinct subscription documents are kept parsed and validated. */
const MAX_DOCUMENTS = 500;

/**
 * Parsed and validated subscription documents by their text, per schema. Thousands of watchers send the
 * same few documents (the console's, a dashboard's): each is parsed and validated once, and one syntax
 * tree serves them all instead of one per subscription.
 */
export class PreparedDocuments {
  private readonly bySchema = new WeakMap<GraphQLSchema, Map<string, Prepared>>();

  prepare(schema: GraphQLSchema, query: string): Prepared {
    let documents = this.bySchema.get(schema);
    if (!documents) {
      documents = new Map();
      this.bySchema.set(schema, documents);
    }
    const known = documents.get(query);
    if (known) {
      documents.delete(query); // most recently used last
      documents.set(query, known);
      return known;
    }
    const prepared = prepareDocument(schema, query);
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(query, prepared);
    return prepared;
  }
}

function prepareDocument(schema: GraphQLSchema, query: string): Prepared {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { errors: [error instanceof GraphQLError ? error : new GraphQLError('Invalid GraphQL document')] };
  }
  // The query limits of HTTP apply to subscriptions too (each event runs the selection again).
  const errors = validate(schema, document, [...specifiedRules, ...queryLimitRules()]);
  return errors.length > 0 ? { errors } : { document };
}
