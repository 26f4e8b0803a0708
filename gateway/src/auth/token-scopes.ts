import type { Actor, ApiScope } from '@medforge/shared-schema';
import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * What an API token needs for each root field. `public`: what anyone may ask (anonymous callers too);
 * `console`: only a signed-in login, never a token (credentials and account settings: a leaked token must
 * not mint more tokens or change the password); otherwise the scopes of which the token needs one.
 * Every root field of the API is listed (a test checks it), and an unlisted one is refused, so a new
 * field is closed to tokens until someone decides what it needs. Logins are not limited by this table;
 * what a token may do beyond it is its owner's rights, with the admin role only under the admin scope.
 */
type Requirement = 'public' | 'console' | readonly ApiScope[];
export type RootOperation = 'query' | 'mutation' | 'subscription';

const ADMIN: readonly ApiScope[] = ['admin'];
const SESSIONS: readonly ApiScope[] = ['sessions'];
const READ_OR_SESSIONS: readonly ApiScope[] = ['read', 'sessions'];
const READ_OR_SUBMIT: readonly ApiScope[] = ['read', 'submit'];
const ANY_SCOPE: readonly ApiScope[] = ['read', 'submit', 'sessions', 'admin'];

export const ROOT_FIELD_REQUIREMENTS: Record<RootOperation, Record<string, Requirement>> = {
  query: {
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
    allSubmissions: ADMIN,
    users: ADMIN,
    gpus: ADMIN,
    allSessions: ADMIN,
    apiTokens: ADMIN,
    invites: ADMIN,
    signUpMode: 'public',
  },
  mutation: {
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
    deleteSnapshot: SESSIONS,
    restoreSnapshot: SESSIONS,
    addSshKey: SESSIONS,
    deleteSshKey: SESSIONS,
    createApiToken: 'console',
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
  },
  subscription: {
    leaderboardUpdated: 'public',
    sessionUpdated: READ_OR_SESSIONS,
    submissionUpdated: READ_OR_SUBMIT,
    gpuTelemetryUpdated: READ_OR_SESSIONS,
  },
};

/** Why this actor's token may not use this root field, or null when it may (always null for logins). */
export function scopeRefusal(actor: Actor | null, operation: RootOperation, field: string): string | null {
  if (!actor?.scopes) return null;
  if (field.startsWith('__')) return null; // __typename; introspection has its own guard
  const requirement = ROOT_FIELD_REQUIREMENTS[operation][field];
  if (requirement === 'public') return null;
  if (requirement === undefined) return `${field} is not available to API tokens`;
  if (requirement === 'console') return `${field} needs a signed-in login (the console), not an API token`;
  if (requirement.some((scope) => actor.scopes!.includes(scope))) return null;
  const names = requirement.map((scope) => scope.toUpperCase()).join(' or ');
  return `This API token lacks the ${names} scope that ${field} needs`;
}

/** The root fields an operation selects, through fragments and inline fragments. */
export function rootFieldsOf(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): string[] {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return [...names];
}
