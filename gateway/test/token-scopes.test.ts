import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema, Kind, parse, type OperationDefinitionNode, type FragmentDefinitionNode } from 'graphql';

import { ROOT_FIELD_REQUIREMENTS, rootFieldsOf, scopeRefusal } from '../src/auth/token-scopes';

const API_SCHEMA = path.resolve(__dirname, '..', '..', 'shared-schema', 'schema', 'api.graphql');

describe('what API tokens may use (auth/token-scopes)', () => {
  it('classifies every root field of the public API, and nothing else', () => {
    const schema = buildSchema(readFileSync(API_SCHEMA, 'utf8'));
    for (const [operation, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ] as const) {
      expect({ [operation]: Object.keys(ROOT_FIELD_REQUIREMENTS[operation]).sort() }).toEqual({
        [operation]: Object.keys(type!.getFields()).sort(),
      });
    }
  });

  const token = (scopes: Array<'read' | 'submit' | 'sessions' | 'admin'>) => ({
    userId: 'u',
    role: 'user' as const,
    canUseInternal: false,
    apiTokenId: 't',
    scopes,
  });

  it('lets a token use what one of its scopes opens, public fields always, console-only fields never', () => {
    expect(scopeRefusal(token(['submit']), 'mutation', 'submitPrediction')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'query', 'submission')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'query', 'competitions')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'query', '__typename')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'mutation', 'createSession')).toBe(
      'This API token lacks the SESSIONS scope that createSession needs',
    );
    expect(scopeRefusal(token(['read', 'sessions', 'submit', 'admin']), 'mutation', 'createApiToken')).toMatch(
      /needs a signed-in login/,
    );
    expect(scopeRefusal(token(['read']), 'query', 'aFieldAddedLater')).toBe(
      'aFieldAddedLater is not available to API tokens',
    );
    // A login is not limited by scopes at all.
    expect(scopeRefusal({ userId: 'u', role: 'user', canUseInternal: false }, 'mutation', 'createApiToken')).toBeNull();
  });

  it('finds root fields inside fragments and inline fragments, without looping on cycles', () => {
    const document = parse(`
      mutation { a: stopSession(id: "1") { id } ...F ... on Mutation { logout } }
      fragment F on Mutation { createSession(exposure: EXTERNAL) { id } ...F }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const fragments = Object.fromEntries(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    expect(rootFieldsOf(operation, fragments).sort()).toEqual(['createSession', 'logout', 'stopSession']);
  });
});
