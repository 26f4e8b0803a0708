import {
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * Fields whose value is the same whoever asks, anonymous visitors included: what the public leaderboard
 * page shows. A subscription whose whole selection stays among these fields is resolved once, as an
 * anonymous visitor, for every watcher of the same operation (`Competition.myLeaderboardEntry`,
 * `User.email` and the like are not here, so selecting one resolves per viewer).
 *
 * Listing a field here that does depend on the viewer could never show anyone more than an anonymous
 * visitor sees (the shared execution runs without an actor); it would show a signed-in watcher less.
 * Leaving one out only costs an execution per viewer.
 */
export const PUBLIC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Competition: [
    'id',
    'slug',
    'title',
    'summary',
    'description',
    'metric',
    'metricVersion',
    'higherIsBetter',
    'submissionFormat',
    'dailySubmissionCap',
    'scoringMode',
    'leaderboardRule',
    'dataset',
    'sampleSubmission',
    'leaderboard',
    'scoreDistribution',
  ],
  SubmissionFormat: ['idColumn', 'targetColumn', 'expectedRows', 'maxUploadBytes'],
  LeaderboardPage: ['entries', 'totalEntries', 'limit', 'offset'],
  LeaderboardEntry: ['rank', 'user', 'score', 'submissionId', 'submittedAt'],
  ScoreBin: ['from', 'to', 'count'],
  User: ['id', 'displayName'],
  Dataset: [
    'id',
    'slug',
    'title',
    'summary',
    'description',
    'source',
    'license',
    'trainingSessionPath',
    'publicEvalSessionPath',
    'files',
    'origin',
  ],
  DatasetFile: ['part', 'name', 'sizeBytes', 'sha256', 'description', 'downloadUrl', 'sessionPath'],
};

const publicFields = new Map(Object.entries(PUBLIC_FIELDS).map(([type, fields]) => [type, new Set(fields)]));

/** Whether every field the selection reaches on `typeName` (through fragments too) is public. */
export function isPublicSelection(
  schema: GraphQLSchema,
  typeName: string,
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): boolean {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return false;
  const allowed = publicFields.get(typeName);
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (!allowed?.has(name)) return false;
      const field = type.getFields()[name];
      if (!field) return false;
      if (
        selection.selectionSet &&
        !isPublicSelection(schema, getNamedType(field.type).name, selection.selectionSet, fragments)
      ) {
        return false;
      }
    } else {
      const onType =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition
          : fragments[selection.name.value]?.typeCondition;
      const set =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : fragments[selection.name.value]?.selectionSet;
      if (!set || !isPublicSelection(schema, onType?.name.value ?? typeName, set, fragments)) return false;
    }
  }
  return true;
}
