import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';

import { isPublicSelection, PUBLIC_FIELDS } from '../src/subscriptions/public-selection';

const schema = buildSchema(readFileSync(path.join(__dirname, '../../shared-schema/schema/api.graphql'), 'utf8'));

/** Whether a leaderboardUpdated selection would be shared by every watcher. */
function isPublic(document: string): boolean {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = operation.selectionSet.selections[0]!;
  if (root.kind !== Kind.FIELD) throw new Error('expected a field');
  return isPublicSelection(schema, 'Competition', root.selectionSet!, fragments);
}

describe('public selections', () => {
  it('lists only fields the API has', () => {
    for (const [typeName, fields] of Object.entries(PUBLIC_FIELDS)) {
      const type = schema.getType(typeName);
      expect(type && 'getFields' in type).toBe(true);
      const known = Object.keys((type as { getFields(): Record<string, unknown> }).getFields());
      expect(fields.filter((field) => !known.includes(field))).toEqual([]);
    }
  });

  it.each([
    [
      'the public board',
      '{ c { slug leaderboard(limit: 10) { totalEntries entries { rank score user { displayName } } } } }',
      true,
    ],
    [
      'fragments and __typename',
      '{ c { ...Board } } fragment Board on Competition { __typename scoreDistribution(bins: 5) { from to count } }',
      true,
    ],
    ["the viewer's own entry", '{ c { slug myLeaderboardEntry { rank } } }', false],
    ["the viewer's cap", '{ c { myCap { remaining } } }', false],
    ['a private field of a ranked user', '{ c { leaderboard { entries { user { email } } } } }', false],
    [
      'one inside a fragment',
      '{ c { ...Board } } fragment Board on Competition { leaderboard { entries { user { sessions { id } } } } }',
      false,
    ],
  ])('%s', (_what, document, expected) => expect(isPublic(document)).toBe(expected));
});
