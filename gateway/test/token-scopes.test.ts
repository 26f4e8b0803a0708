import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ApiScope } from '@medforge/shared-schema';
import {
  buildSchema,
  type FragmentDefinitionNode,
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';

import { FIELD_REQUIREMENTS, operationScopeRefusal, scopeRefusal } from '../src/auth/token-scopes';

const API_SCHEMA = path.resolve(__dirname, '..', '..', 'shared-schema', 'schema', 'api.graphql');
const schema = buildSchema(readFileSync(API_SCHEMA, 'utf8'));

const token = (scopes: ApiScope[]) => ({
  userId: 'u',
  role: 'user' as const,
  canUseInternal: false,
  apiTokenId: 't',
  scopes,
});
const login = { userId: 'u', role: 'user' as const, canUseInternal: false };

/** The refusal for a whole document, as the request guard computes it. */
function refusalOf(actor: ReturnType<typeof token> | typeof login, source: string): string | null {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return operationScopeRefusal(schema, actor, operation, fragments);
}

describe('what API tokens may use (auth/token-scopes)', () => {
  it('states a requirement for every root field and every field that leads to another object, and nothing else', () => {
    const expected: Record<string, string[]> = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const root = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type);
      const fields = Object.values(type.getFields())
        .filter((field) => root || isCompositeType(getNamedType(field.type)))
        .map((field) => field.name)
        .sort();
      if (fields.length > 0) expected[type.name] = fields;
    }
    const stated = Object.fromEntries(
      Object.entries(FIELD_REQUIREMENTS).map(([type, fields]) => [type, Object.keys(fields).sort()]),
    );
    expect(stated).toEqual(expected);
  });

  it('lets a token use what one of its scopes opens, public fields always, console-only fields never', () => {
    expect(scopeRefusal(token(['submit']), 'Mutation', 'submitPrediction')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'Query', 'submission')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'Query', 'competitions')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'Query', '__typename')).toBeNull();
    expect(scopeRefusal(token(['submit']), 'Mutation', 'createSession')).toBe(
      'This API token lacks the SESSIONS scope that createSession needs',
    );
    expect(scopeRefusal(token(['read', 'sessions', 'submit', 'admin']), 'Mutation', 'createApiToken')).toMatch(
      /needs a signed-in login/,
    );
    expect(scopeRefusal(token(['read']), 'Query', 'aFieldAddedLater')).toBe(
      'aFieldAddedLater is not available to API tokens',
    );
    expect(scopeRefusal(token(['read']), 'User', 'aFieldAddedLater')).toBe(
      'User.aFieldAddedLater is not available to API tokens',
    );
    // A login is not limited by scopes at all.
    expect(scopeRefusal(login, 'Mutation', 'createApiToken')).toBeNull();
  });

  it('holds on nested fields however they are reached: me, another object, fragments, inline fragments', () => {
    const submitOnly = token(['submit']);
    expect(refusalOf(submitOnly, '{ me { id email displayName submissions { id } } }')).toBeNull();
    for (const [field, scopes] of [
      ['sessions { id }', 'READ or SESSIONS or ADMIN'],
      ['snapshots { id }', 'READ or SESSIONS or ADMIN'],
      ['sshKeys { id }', 'READ or SESSIONS or ADMIN'],
      ['apiTokens { id }', 'READ or ADMIN'],
      ['sessionLimits { cpus }', 'READ or SESSIONS or ADMIN'],
    ] as const) {
      const name = field.split(' ')[0];
      expect(refusalOf(submitOnly, `{ me { ${field} } }`)).toBe(
        `This API token lacks the ${scopes} scope that User.${name} needs`,
      );
    }
    // Reached from another object, in a fragment, in an inline fragment on the root.
    expect(refusalOf(submitOnly, '{ submission(id: "1") { user { sessions { id } } } }')).toMatch(/User\.sessions/);
    expect(refusalOf(submitOnly, '{ me { ...Mine } } fragment Mine on User { apiTokens { id } }')).toMatch(
      /User\.apiTokens/,
    );
    expect(refusalOf(submitOnly, '{ ... on Query { me { sshKeys { id } } } }')).toMatch(/User\.sshKeys/);
    // The scopes that open them do.
    expect(refusalOf(token(['read']), '{ me { sessions { id } apiTokens { id } snapshots { id } } }')).toBeNull();
    expect(refusalOf(token(['sessions']), '{ me { sessions { id } sshKeys { id } } }')).toBeNull();
    expect(refusalOf(token(['sessions']), '{ me { apiTokens { id } } }')).toMatch(/READ or ADMIN/);
    expect(refusalOf(login, '{ me { apiTokens { id } sessions { id } } }')).toBeNull();
  });

  it('finds root fields inside fragments and inline fragments, without looping on cycles', () => {
    expect(
      refusalOf(
        token(['sessions']),
        `mutation { a: stopSession(id: "1") { id } ...F ... on Mutation { logout } }
         fragment F on Mutation { createSession(exposure: EXTERNAL) { id } ...F }`,
      ),
    ).toBeNull();
    expect(
      refusalOf(
        token(['read']),
        'mutation { ...F } fragment F on Mutation { createSession(exposure: EXTERNAL) { id } }',
      ),
    ).toBe('This API token lacks the SESSIONS scope that createSession needs');
  });
});
