import type { Actor, ApiScope } from '@medforge/shared-schema';
import {
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * What an API token needs for each field that reaches data: every root field, and every field of an
 * object type that leads to another object (`User.sessions`, `Submission.user`…), however deep.
 * `public`: what anyone may ask (anonymous callers too); `console`: only a signed-in login, never a
 * token (credentials and account settings: a leaked token must not mint more tokens or change the
 * password); `inherit`: what reached the parent object may follow it (`Session.gpu`); otherwise the
 * scopes of which the token needs one. Every such field of the API is listed (a test checks it) and an
 * unlisted one is refused, so a new field is closed to tokens until someone decides what it needs.
 * Scalar fields go with the object they are on. Logins are not limited by this table; what a token may
 * do beyond it is its owner's rights, with the admin role only under the admin scope.
 */
type Requirement = 'public' | 'console' | 'inherit' | readonly ApiScope[];
export type RootOperation = 'query' | 'mutation' | 'subscription';

const ADMIN: readonly ApiScope[] = ['admin'];
const SESSIONS: readonly ApiScope[] = ['sessions'];
const READ_OR_SESSIONS: readonly ApiScope[] = ['read', 'sessions'];
const READ_OR_SUBMIT: readonly ApiScope[] = ['read', 'submit'];
const ANY_SCOPE: readonly ApiScope[] = ['read', 'submit', 'sessions', 'admin'];
/** A user's own data reached through `User` (`me { … }`, `submission { user { … } }`); admins see others'. */
const OWN_SESSIONS_DATA: readonly ApiScope[] = ['read', 'sessions', 'admin'];
const OWN_SUBMISSIONS_DATA: readonly ApiScope[] = ['read', 'submit', 'admin'];
const OWN_TOKENS: readonly ApiScope[] = ['read', 'admin'];

const ROOT_TYPES: Record<RootOperation, string> = {
  query: 'Query',
  mutation: 'Mutation',
  subscription: 'Subscription',
};

export const FIELD_REQUIREMENTS: Record<string, Record<string, Requirement>> = {
  Query: {
    competitions: 'public',
    competition: 'public',
    datasets: 'public',
    dataset: 'public',
    packs: 'public',
    gpuAvailability: 'public',
    user: 'public',
    me: ANY_SCOPE,
    submission: READ_OR_SUBMIT,
    session: READ_OR_SESSIONS,
    mySessions: READ_OR_SESSIONS,
    currentSessions: READ_OR_SESSIONS,
    mySnapshots: READ_OR_SESSIONS,
    homeRestore: READ_OR_SESSIONS,
    gpu: READ_OR_SESSIONS,
    myUsage: READ_OR_SESSIONS,
    gpuUsage: ADMIN,
    myGpuReservations: READ_OR_SESSIONS,
    gpuReservations: ADMIN,
    allSubmissions: ADMIN,
    users: ADMIN,
    gpus: ADMIN,
    allSessions: ADMIN,
    apiTokens: ADMIN,
    invites: ADMIN,
    notificationSettings: ADMIN,
    signUpMode: 'public',
  },
  Mutation: {
    signUp: 'public',
    login: 'public',
    logout: 'public',
    resetPassword: 'public',
    updateProfile: 'console',
    changePassword: 'console',
    createPasswordResetLink: ADMIN,
    createInvite: ADMIN,
    revokeInvite: ADMIN,
    submitPrediction: ['submit'],
    createSession: SESSIONS,
    stopSession: SESSIONS,
    leaveSessionQueue: SESSIONS,
    renameSession: SESSIONS,
    // The KEEPALIVE scope opens this alone (a session's own token has it, for that session only).
    keepSessionAlive: ['sessions', 'keepalive'],
    deleteSnapshot: SESSIONS,
    restoreSnapshot: SESSIONS,
    addSshKey: SESSIONS,
    deleteSshKey: SESSIONS,
    createApiToken: 'console',
    // Any token may revoke itself; identity refuses others' unless the token has the ADMIN scope.
    revokeApiToken: ANY_SCOPE,
    rescoreSubmission: ADMIN,
    setUserInternalAccess: ADMIN,
    setUserDisabled: ADMIN,
    setUserRole: ADMIN,
    setGpuEnabled: ADMIN,
    addPack: ADMIN,
    deprecatePack: ADMIN,
    setPackLimits: ADMIN,
    setUserSessionLimits: ADMIN,
    setNotificationWebhook: ADMIN,
    requestGpuReservation: SESSIONS,
    cancelGpuReservation: SESSIONS,
    bookGpuReservation: ADMIN,
    decideGpuReservation: ADMIN,
  },
  Subscription: {
    leaderboardUpdated: 'public',
    sessionUpdated: READ_OR_SESSIONS,
    submissionUpdated: READ_OR_SUBMIT,
    gpuTelemetryUpdated: READ_OR_SESSIONS,
  },
  User: {
    submissions: OWN_SUBMISSIONS_DATA,
    sshKeys: OWN_SESSIONS_DATA,
    apiTokens: OWN_TOKENS,
    sessionLimits: OWN_SESSIONS_DATA,
    sessions: OWN_SESSIONS_DATA,
    snapshots: OWN_SESSIONS_DATA,
    homeUsage: OWN_SESSIONS_DATA,
  },
  Submission: { user: 'inherit', competition: 'inherit' },
  SubmissionPage: { submissions: 'inherit' },
  Competition: {
    submissionFormat: 'inherit',
    dataset: 'inherit',
    sampleSubmission: 'inherit',
    leaderboard: 'inherit',
    scoreDistribution: 'inherit',
    myLeaderboardEntry: 'inherit',
    myCap: 'inherit',
  },
  Dataset: { files: 'inherit' },
  LeaderboardPage: { entries: 'inherit' },
  LeaderboardEntry: { user: 'inherit' },
  UserPage: { users: 'inherit' },
  ApiToken: { user: 'inherit' },
  ApiTokenPage: { tokens: 'inherit' },
  AuthPayload: { user: 'inherit' },
  CreatedApiToken: { apiToken: 'inherit' },
  Session: { user: 'inherit', gpu: 'inherit', pack: 'inherit', limits: 'inherit' },
  SessionPage: { sessions: 'inherit' },
  Gpu: { heldBy: 'inherit', telemetry: 'inherit' },
  Pack: { limits: 'inherit' },
  WorkspaceSnapshot: { session: 'inherit' },
  MyUsage: { buckets: 'inherit', budget: 'inherit' },
  UsageReport: { users: 'inherit' },
  UserUsage: { user: 'inherit', buckets: 'inherit' },
  GpuReservation: { users: 'inherit', requestedBy: 'inherit' },
};

/**
 * Why this actor's token may not use `Type.field`, or null when it may (always null for logins). Root
 * fields are named alone in the message, others with their type.
 */
export function scopeRefusal(actor: Actor | null, typeName: string, field: string): string | null {
  if (!actor?.scopes) return null;
  if (field.startsWith('__')) return null; // __typename; introspection has its own guard
  const requirement = FIELD_REQUIREMENTS[typeName]?.[field];
  const name = Object.values(ROOT_TYPES).includes(typeName) ? field : `${typeName}.${field}`;
  if (requirement === 'public' || requirement === 'inherit') return null;
  if (requirement === undefined) return `${name} is not available to API tokens`;
  if (requirement === 'console') return `${name} needs a signed-in login (the console), not an API token`;
  if (requirement.some((scope) => actor.scopes!.includes(scope))) return null;
  const names = requirement.map((scope) => scope.toUpperCase()).join(' or ');
  return `This API token lacks the ${names} scope that ${name} needs`;
}

/**
 * The first refusal anywhere in an operation: its root fields, then every field that leads to another
 * object, at any depth, through fragments and inline fragments. Null for logins, or when all is allowed.
 */
export function operationScopeRefusal(
  schema: GraphQLSchema,
  actor: Actor | null,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): string | null {
  const root = schema.getRootType(operation.operation);
  if (!actor?.scopes || !root) return null;
  return selectionRefusal(schema, actor, root, operation.selectionSet, fragments);
}

/** The same check from one type's selection down (a subscription field's selection, say). */
export function selectionRefusal(
  schema: GraphQLSchema,
  actor: Actor,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen: ReadonlySet<string> = new Set(),
): string | null {
  for (const selection of selectionSet.selections) {
    let refused: string | null = null;
    if (selection.kind === Kind.FIELD) {
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : null;
      const type = field ? getNamedType(field.type) : null;
      const reachesData = isRootType(schema, parent) || isCompositeType(type);
      refused = reachesData ? scopeRefusal(actor, parent.name, selection.name.value) : null;
      if (!refused && selection.selectionSet && isCompositeType(type)) {
        refused = selectionRefusal(schema, actor, type, selection.selectionSet, fragments, seen);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      if (isCompositeType(condition)) {
        refused = selectionRefusal(schema, actor, condition, selection.selectionSet, fragments, seen);
      }
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments[selection.name.value];
      const condition = fragment ? schema.getType(fragment.typeCondition.name.value) : null;
      if (fragment && isCompositeType(condition)) {
        const inside = new Set([...seen, selection.name.value]);
        refused = selectionRefusal(schema, actor, condition, fragment.selectionSet, fragments, inside);
      }
    }
    if (refused) return refused;
  }
  return null;
}

function isRootType(schema: GraphQLSchema, type: GraphQLCompositeType): boolean {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as never);
}
