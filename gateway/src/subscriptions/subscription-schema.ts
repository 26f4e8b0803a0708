import type { ApolloServer } from '@apollo/server';
import {
  type Actor,
  DomainError,
  type GpuTelemetryEvent,
  graphqlEnumName,
  isAdmin,
  isOwnerOrAdmin,
  type SessionEvent,
  SessionStatus,
  type SubmissionEvent,
  SubmissionStatus,
  SUBSCRIPTION_SDL,
} from '@medforge/shared-schema';
import {
  extendSchema,
  GraphQLError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  Kind,
  parse,
  print,
  type SelectionSetNode,
} from 'graphql';

import { selectionRefusal } from '../auth/token-scopes';
import type { GatewayContext } from '../context';
import { newRequestId } from '../http/request-id';
import type { ConnectionIdentity } from './connection-identity';
import type { EventChannel } from '../events/event-channels';
import type { Delivery, FeedChoice, FeedSpec, SubscriptionFeeds } from './feeds';
import { isPublicSelection } from './public-selection';

/** Per websocket connection: who opened it, and how to drop it when it cannot keep up. */
export interface SubscriptionContext {
  identity: ConnectionIdentity;
  dropSlowConsumer: (reason: string) => void;
}

export interface SubscriptionSources {
  sessions: EventChannel<SessionEvent>;
  submissions: EventChannel<SubmissionEvent>;
  gpuTelemetry: EventChannel<GpuTelemetryEvent>;
}

export interface SubscriptionOptions {
  /** A competition's leaderboard watchers get at most one refresh per this many milliseconds. */
  leaderboardRefreshMs: number;
}

/**
 * @apollo/gateway does not execute subscriptions, so the gateway serves them itself (the pattern of
 * Apollo's federation-subscription-tools): the supergraph's API schema gains a Subscription type whose
 * events come from Redis, and each event's payload is resolved by running the subscriber's selection set
 * as a federated query (`session(id)`, `submission(id)`, `competition(slug)`, `gpu(index)`).
 *
 * That query runs once per event for every subscriber whose payload would be identical (a feed): the
 * same field, arguments, selection and variables, and the same authorization, which is the subscriber's
 * exact actor, or nobody at all when the whole selection is public (PUBLIC_FIELDS): then it runs as an
 * anonymous visitor and signed-in watchers share it too. Leaderboards refresh at most every
 * `leaderboardRefreshMs` per feed with the latest state; status transitions are delivered each, in order.
 * The fields' event streams yield Deliveries, sent as they are by `subscribeWithResolvedPayloads` (no
 * resolver runs over them).
 */
export function buildSubscriptionSchema(
  apiSchema: GraphQLSchema,
  sources: SubscriptionSources,
  apollo: ApolloServer<GatewayContext>,
  feeds: SubscriptionFeeds,
  options: SubscriptionOptions,
): GraphQLSchema {
  const schema = extendSchema(apiSchema, parse(SUBSCRIPTION_SDL));
  const fields = schema.getSubscriptionType()!.getFields();

  /**
   * Runs the selection under `root(arg: value)` as `actor`. Null when the entity is not there to see
   * (deleted since, or an event of another deployment sharing the Redis): such events are skipped, not
   * sent as errors, since one error ends a client's subscription.
   */
  const execute = async (
    operation: FederatedOperation,
    value: string | number,
    actor: Actor | null,
  ): Promise<Delivery | null> => {
    const response = await apollo.executeOperation(
      {
        query: operation.query,
        operationName: operation.operationName,
        variables: { ...operation.variables, __value: value },
      },
      {
        contextValue: {
          requestId: newRequestId(),
          actor,
          clientIp: null,
          originAllowed: false,
          credential: null,
          loginEffects: {},
        },
      },
    );
    if (response.body.kind !== 'single') throw new Error('unexpected incremental result');
    const { data, errors } = response.body.singleResult;
    const payload = (data as Record<string, unknown> | null)?.[operation.root.field];
    if (errors?.length && !(payload === null && errors.every((e) => e.extensions?.['code'] === 'NOT_FOUND'))) {
      return { error: new GraphQLError(errors[0]!.message, { extensions: errors[0]!.extensions ?? {} }) };
    }
    return payload ? { payload } : null;
  };

  /** What identifies a feed: the field with its arguments, the federated operation, the authorization. */
  const feedKey = (field: string, args: unknown, operation: FederatedOperation, actor: Actor | null) =>
    JSON.stringify([field, args, operation.query, operation.variables, actor ? authorizationOf(actor) : null]);

  /**
   * A subscription to one kind of owned entity: the subscriber's own (every one for admins), or one by
   * id, each event resolved through `root` with the status the event announced.
   */
  const ownUpdates = <E extends { userId: string }>(
    name: string,
    source: EventChannel<E>,
    what: string,
    idOf: (event: E) => string,
    statusNameOf: (event: E) => string,
    root: RootField,
  ) => {
    fields[name]!.subscribe = (_root, args: { id?: string | null }, ctx: SubscriptionContext, info) => {
      const operation = federatedOperationFor(info, root);
      return feeds.subscribe<E>(
        ctx.identity,
        requiringSignIn(what, (actor) => ({
          key: feedKey(name, args, operation, actor),
          source,
          accepts: (event) => (!args.id || idOf(event) === args.id) && isOwnerOrAdmin(actor, event.userId),
          resolve: async (event) => {
            const delivery = await execute(operation, idOf(event), actor);
            return delivery && 'payload' in delivery
              ? { payload: withEventStatus(delivery.payload as Record<string, unknown>, info, statusNameOf(event)) }
              : delivery;
          },
        })),
        ctx.dropSlowConsumer,
      );
    };
  };

  ownUpdates<SessionEvent>(
    'sessionUpdated',
    sources.sessions,
    'sessions',
    (e) => e.sessionId,
    (e) => graphqlEnumName(SessionStatus, e.status),
    SESSION,
  );
  ownUpdates<SubmissionEvent>(
    'submissionUpdated',
    sources.submissions,
    'submissions',
    (e) => e.submissionId,
    (e) => graphqlEnumName(SubmissionStatus, e.status),
    SUBMISSION,
  );

  // Open to everyone. A public selection is one feed for every watcher of the competition, signed in
  // or not; selecting `myLeaderboardEntry` (or anything else per viewer) makes a feed per actor.
  fields['leaderboardUpdated']!.subscribe = (
    _root,
    args: { competitionSlug: string },
    ctx: SubscriptionContext,
    info,
  ) => {
    const operation = federatedOperationFor(info, COMPETITION);
    const isPublic = isPublicSelection(schema, 'Competition', info.fieldNodes[0]!.selectionSet!, info.fragments);
    return feeds.subscribe<SubmissionEvent>(
      ctx.identity,
      (viewer) => {
        const actor = isPublic ? null : viewer;
        return {
          key: feedKey('leaderboardUpdated', args, operation, actor),
          source: sources.submissions,
          accepts: (event) =>
            event.competitionSlug === args.competitionSlug && event.status === SubmissionStatus.SCORED,
          resolve: (event) => execute(operation, event.competitionSlug, actor),
          coalesceMs: options.leaderboardRefreshMs,
        };
      },
      ctx.dropSlowConsumer,
    );
  };

  // A reading concerns its GPU's holder (named by the event) and administrators; the subgraph's
  // `gpu(index)` applies the same rule again when the payload is resolved.
  fields['gpuTelemetryUpdated']!.subscribe = (
    _root,
    args: { index?: number | null },
    ctx: SubscriptionContext,
    info,
  ) => {
    const operation = federatedOperationFor(info, GPU);
    return feeds.subscribe<GpuTelemetryEvent>(
      ctx.identity,
      requiringSignIn('GPU telemetry', (actor) => ({
        key: feedKey('gpuTelemetryUpdated', args, operation, actor),
        source: sources.gpuTelemetry,
        accepts: (event) =>
          (args.index === undefined || args.index === null || event.gpuIndex === args.index) &&
          (isAdmin(actor) || event.userId === actor.userId),
        resolve: (event) => execute(operation, event.gpuIndex, actor),
      })),
      ctx.dropSlowConsumer,
    );
  };

  // An API token subscribes only to what its scopes open (auth/token-scopes), the field and everything
  // its selection reaches, checked before anything else.
  for (const field of Object.values(fields)) {
    const subscribe = field.subscribe!;
    field.subscribe = (root, args, ctx: SubscriptionContext, info) => {
      const actor = ctx.identity.actor;
      if (actor?.scopes) {
        const selection: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: info.fieldNodes };
        const refused = selectionRefusal(info.schema, actor, info.parentType, selection, info.fragments);
        if (refused) throw new DomainError('FORBIDDEN', refused);
      }
      return subscribe(root, args, ctx, info);
    };
  }

  return schema;
}

/**
 * A feed choice for subscriptions that need a login: refused at the start when there is none, ended with
 * "Your login ended" when it goes away later.
 */
function requiringSignIn<E>(
  what: string,
  choose: (actor: Actor) => FeedSpec<E>,
): (actor: Actor | null) => FeedChoice<E> {
  let signedIn = false;
  return (actor) => {
    if (!actor) {
      return {
        refusal: new DomainError('UNAUTHENTICATED', signedIn ? 'Your login ended' : `Sign in to subscribe to ${what}`),
      };
    }
    signedIn = true;
    return choose(actor);
  };
}

/** Everything about an actor that decides what it may see: feeds are shared only by identical ones. */
function authorizationOf(actor: Actor): unknown[] {
  return [
    actor.userId,
    actor.role,
    actor.canUseInternal,
    actor.loginSessionId ?? null,
    actor.apiTokenId ?? null,
    actor.scopes ?? null,
  ];
}

interface RootField {
  field: string;
  argument: string;
  type: string;
  operation: string;
}

const SESSION: RootField = { field: 'session', argument: 'id', type: 'ID!', operation: 'SessionUpdated' };
const SUBMISSION: RootField = { field: 'submission', argument: 'id', type: 'ID!', operation: 'SubmissionUpdated' };
const GPU: RootField = { field: 'gpu', argument: 'index', type: 'Int!', operation: 'GpuTelemetryUpdated' };
const COMPETITION: RootField = {
  field: 'competition',
  argument: 'slug',
  type: 'String!',
  operation: 'LeaderboardUpdated',
};

interface FederatedOperation {
  root: RootField;
  query: string;
  operationName: string;
  /** The subscriber's variables the selection uses; `$__value` is added per event. */
  variables: Record<string, unknown>;
}

/** `query { <root>(<arg>: $__value) { <the subscriber's selection> } }` with its fragments and variables. */
function federatedOperationFor(info: GraphQLResolveInfo, root: RootField): FederatedOperation {
  const selection: SelectionSetNode = info.fieldNodes[0]!.selectionSet!;
  const fragments = Object.values(info.fragments).map(print).join('\n');
  const body = `${print(selection)}\n${fragments}`;
  const usedVariables = (info.operation.variableDefinitions ?? []).filter((definition) =>
    new RegExp(`\\$${definition.variable.name.value}\\b`).test(body),
  );
  const declarations = [
    `$__value: ${root.type}`,
    ...usedVariables.map((d) => print({ ...d, kind: Kind.VARIABLE_DEFINITION })),
  ];
  return {
    root,
    query: `query ${root.operation}(${declarations.join(', ')}) { ${root.field}(${root.argument}: $__value) ${print(selection)} }\n${fragments}`,
    operationName: root.operation,
    variables: Object.fromEntries(
      usedVariables.map((d) => [d.variable.name.value, info.variableValues[d.variable.name.value]]),
    ),
  };
}

/**
 * Every other field is resolved as it is when the event is delivered, but `status` is the one the event
 * announced: a subscriber sees each transition once, in order, even when the row has already moved on.
 */
function withEventStatus(payload: Record<string, unknown>, info: GraphQLResolveInfo, statusName: string) {
  const patched = { ...payload };
  for (const selection of info.fieldNodes[0]!.selectionSet!.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === 'status') {
      patched[selection.alias?.value ?? 'status'] = statusName;
    }
  }
  return patched;
}
