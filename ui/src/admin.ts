import { gql } from '@apollo/client/core';

import { SESSION_FIELDS, type SessionSummary } from './sessions';

/** Who did something, as admins see them (email is private to the user and admins). */
export interface Person {
  id: string;
  displayName: string;
  email: string;
}

export interface AdminUser extends Person {
  role: 'USER' | 'ADMIN';
  canUseInternal: boolean;
  disabled: boolean;
  createdAt: string;
}
const USER_FIELDS = 'id email displayName role canUseInternal disabled createdAt';
export const USERS = gql`
  query AdminUsers($limit: Int!, $offset: Int!, $search: String) {
    users(limit: $limit, offset: $offset, search: $search) { total users { ${USER_FIELDS} } }
  }`;
export const SET_INTERNAL = gql`
  mutation SetInternal($userId: ID!, $allowed: Boolean!) {
    setUserInternalAccess(userId: $userId, allowed: $allowed) { ${USER_FIELDS} }
  }`;
export const SET_DISABLED = gql`
  mutation SetDisabled($userId: ID!, $disabled: Boolean!) {
    setUserDisabled(userId: $userId, disabled: $disabled) { ${USER_FIELDS} }
  }`;

export type AdminSession = Omit<SessionSummary, 'user'> & { user: Person };
const ADMIN_SESSION_FIELDS = SESSION_FIELDS.replace('user { id }', 'user { id displayName email }');
export const ALL_SESSIONS = gql`
  query AllSessions($status: SessionStatus, $limit: Int!, $offset: Int!) {
    allSessions(status: $status, limit: $limit, offset: $offset) { total sessions { ${ADMIN_SESSION_FIELDS} } }
  }`;
export const ADMIN_SESSION_UPDATES = gql`subscription AdminSessionUpdates { sessionUpdated { ${ADMIN_SESSION_FIELDS} } }`;
export const FORCE_STOP = gql`mutation ForceStop($id: ID!) { stopSession(id: $id) { ${ADMIN_SESSION_FIELDS} } }`;

export interface AdminGpu {
  index: number;
  uuid: string;
  name: string;
  memoryMib: number;
  enabled: boolean;
  present: boolean;
  isVirtual: boolean;
  heldBy: { id: string; slug: string; status: string; user: Person } | null;
}
const GPU_FIELDS =
  'index uuid name memoryMib enabled present isVirtual heldBy { id slug status user { id displayName email } }';
export const GPUS = gql`query AdminGpus { gpus { ${GPU_FIELDS} } }`;
export const SET_GPU_ENABLED = gql`
  mutation SetGpuEnabled($index: Int!, $enabled: Boolean!) { setGpuEnabled(index: $index, enabled: $enabled) { ${GPU_FIELDS} } }`;
export const SESSION_CHANGES = gql`
  subscription AdminSessionChanges {
    sessionUpdated {
      id
    }
  }
`;

export interface AdminSubmission {
  id: string;
  status: 'QUEUED' | 'SCORING' | 'SCORED' | 'FAILED';
  filename: string;
  primaryScore: number | null;
  errorMessage: string | null;
  scorerVersion: string | null;
  createdAt: string;
  user: Person;
  competition: { slug: string; title: string };
}
const SUBMISSION_FIELDS =
  'id status filename primaryScore errorMessage scorerVersion createdAt user { id displayName email } competition { slug title }';
export const ALL_SUBMISSIONS = gql`
  query AllSubmissions($competitionSlug: String, $status: SubmissionStatus, $limit: Int!, $offset: Int!) {
    allSubmissions(competitionSlug: $competitionSlug, status: $status, limit: $limit, offset: $offset) {
      total submissions { ${SUBMISSION_FIELDS} }
    }
  }`;
export const RESCORE = gql`
  mutation Rescore($id: ID!) {
    rescoreSubmission(id: $id) {
      id
      status
    }
  }
`;
export const ADMIN_SUBMISSION_UPDATES = gql`subscription AdminSubmissionUpdates { submissionUpdated { ${SUBMISSION_FIELDS} } }`;
