import type { ApolloServer } from '@apollo/server';
import {
  DomainError,
  type GpuTelemetryEvent,
  isAdmin,
  SUBSCRIPTION_SDL,
  graphqlEnumName,
  isOwnerOrAdmin,
  type SessionEvent,
  SessionStatus,
  type SubmissionEvent,
  SubmissionStatus,
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

import type { Authenticator } from '../auth/authenticator';
import type { Credential } from '../auth/credential';
import { scopeRefusal } from '../auth/token-scopes';
import type { GatewayContext } from '../context';
import type { EventHub } from './event-hub';

/**
 * Per websocket connection: who opened it (re-checked on every event, so a logout or a revoked token
 * ends delivery).
 */
export interface SubscriptionContext {
  credential: Credential | null;
  clientIp: string | null;
  requestId: () => string;
}

export interface SubscriptionSources {
  sessions: EventHub<SessionEvent>;
  submissions: EventHub<SubmissionEvent>;
  gpuTelemetry: EventHub<GpuTelemetryEvent>;
}

/**
 * @apollo/gateway does not execute subscriptions, so the gateway serves them itself (the pattern of
 * Apollo's federation-subscription-tools): the supergraph's API schema gains a Subscription type whose
 * events come from Redis, and each event's payload is resolved by running the subscriber's own
 * selection set as a federated query (`session(id)`, `submission(id)`, `competition(slug)`, `gpu(index)`), with the
 * subscriber's authorization.
 */
export function buildSubscriptionSchema(
  apiSchema: GraphQLSchema,
  sources: SubscriptionSources,
  apollo: ApolloServer<GatewayContext>,
  authenticator: Authenticator,
): GraphQLSchema {
  const schema = extendSchema(apiSchema, parse(SUBSCRIPTION_SDL));
  const fields = schema.getSubscriptionType()!.getFields();

  /** The subscriber as of now (re-checked per event, so a logout ends delivery); null when signed out. */
  const contextFor = async (ctx: SubscriptionContext): Promise<GatewayContext> => {
    const requestId = ctx.requestId();
    const actor = ctx.credential ? await authenticator.authenticate(ctx.credential, requestId) : null;
    return {
      requestId,
      actor,
      clientIp: ctx.clientIp,
      originAllowed: false,
      credential: ctx.credential,
      sessionEffects: {},
    };
  };
  const ownerOrAdmin = async (ctx: SubscriptionContext, userId: string) => {
    const { actor } = await contextFor(ctx);
    return isOwnerOrAdmin(actor, userId);
  };
  const requireSignedIn = async (ctx: SubscriptionContext, what: string) => {
    if (!(await contextFor(ctx)).actor) throw new DomainError('UNAUTHENTICATED', `Sign in to subscribe to ${what}`);
  };

  /**
   * Runs the subscriber's selection under `root(arg: value)` for one event. Null when the entity is not
   * there to see (deleted since, or an event of another deployment sharing the Redis): such events are
   * skipped, not sent as errors, since one error ends a client's subscription.
   */
  const payloadThrough =
    <E>(
      root: RootField,
      valueOf: (event: E) => string | number,
      anonymousAllowed: boolean,
      statusNameOf?: (event: E) => string,
    ) =>
    async (event: E, ctx: SubscriptionContext, info: GraphQLResolveInfo): Promise<Delivery | null> => {
      const context = await contextFor(ctx);
      if (!context.actor && !anonymousAllowed) {
        return { error: new DomainError('UNAUTHENTICATED', 'Your login ended') };
      }
      const response = await apollo.executeOperation(federatedQueryFor(info, root, valueOf(event)), {
        contextValue: context,
      });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental result');
      const { data, errors } = response.body.singleResult;
      const payload = (data as Record<string, unknown> | null)?.[root.field];
      if (errors?.length && !(payload === null && errors.every((e) => e.extensions?.['code'] === 'NOT_FOUND'))) {
        return { error: new GraphQLError(errors[0]!.message, { extensions: errors[0]!.extensions ?? {} }) };
      }
      if (!payload) return null;
      return {
        payload: statusNameOf
          ? withEventStatus(payload as Record<string, unknown>, info, statusNameOf(event))
          : payload,
      };
    };
  /** The value the subscription field resolves to: the payload, or the error that event carried. */
  const deliver = (delivery: Delivery) => {
    if ('error' in delivery) throw delivery.error;
    return delivery.payload;
  };

  /**
   * A subscription to one kind of owned entity: the subscriber's own (every one for admins), or one by
   * id, each event resolved through `root` with the status the event announced.
   */
  const ownUpdates = <E extends { userId: string }>(
    name: string,
    source: EventHub<E>,
    what: string,
    idOf: (event: E) => string,
    statusNameOf: (event: E) => string,
    root: RootField,
  ) => {
    const payloadOf = payloadThrough<E>(root, idOf, false, statusNameOf);
    fields[name]!.subscribe = async (_root, args: { id?: string | null }, ctx: SubscriptionContext, info) => {
      await requireSignedIn(ctx, what);
      return deliveries(
        source.subscribe(),
        async (event) => (!args.id || idOf(event) === args.id) && (await ownerOrAdmin(ctx, event.userId)),
        (event) => payloadOf(event, ctx, info),
      );
    };
    fields[name]!.resolve = deliver;
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

  const leaderboardOf = payloadThrough<SubmissionEvent>(COMPETITION, (e) => e.competitionSlug, true);
  fields['leaderboardUpdated']!.subscribe = (
    _root,
    args: { competitionSlug: string },
    ctx: SubscriptionContext,
    info,
  ) =>
    deliveries(
      sources.submissions.subscribe(),
      (event) =>
        Promise.resolve(event.competitionSlug === args.competitionSlug && event.status === SubmissionStatus.SCORED),
      (event) => leaderboardOf(event, ctx, info),
    );
  fields['leaderboardUpdated']!.resolve = deliver;

  // A reading concerns its GPU's holder (named by the event) and administrators; the subgraph's
  // `gpu(index)` applies the same rule again when the payload is resolved.
  const gpuOf = payloadThrough<GpuTelemetryEvent>(GPU, (e) => e.gpuIndex, false);
  fields['gpuTelemetryUpdated']!.subscribe = async (
    _root,
    args: { index?: number | null },
    ctx: SubscriptionContext,
    info,
  ) => {
    await requireSignedIn(ctx, 'GPU telemetry');
    return deliveries(
      sources.gpuTelemetry.subscribe(),
      async (event) => {
        if (args.index !== undefined && args.index !== null && event.gpuIndex !== args.index) return false;
        const { actor } = await contextFor(ctx);
        return isAdmin(actor) || (actor !== null && event.userId === actor.userId);
      },
      (event) => gpuOf(event, ctx, info),
    );
  };
  fields['gpuTelemetryUpdated']!.resolve = deliver;

  // An API token subscribes only to what its scopes open (auth/token-scopes), checked before anything else.
  for (const [name, field] of Object.entries(fields)) {
    const subscribe = field.subscribe!;
    field.subscribe = async (root, args, ctx: SubscriptionContext, info) => {
      const refused = scopeRefusal((await contextFor(ctx)).actor, 'subscription', name);
      if (refused) throw new DomainError('FORBIDDEN', refused);
      return subscribe(root, args, ctx, info);
    };
  }

  return schema;
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

/** `query { <root>(<arg>: $__value) { <the subscriber's selection> } }` with its fragments and variables. */
function federatedQueryFor(info: GraphQLResolveInfo, root: RootField, value: string | number) {
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
    query: `query ${root.operation}(${declarations.join(', ')}) { ${root.field}(${root.argument}: $__value) ${print(selection)} }\n${fragments}`,
    operationName: root.operation,
    variables: { ...info.variableValues, __value: value },
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

type Delivery = { payload: unknown } | { error: Error };

/**
 * An async iterator of what each event passing `keep` resolves to, skipping events that resolve to
 * nothing; `return()` reaches the source at once.
 */
function deliveries<E>(
  source: AsyncIterableIterator<E>,
  keep: (event: E) => Promise<boolean>,
  resolve: (event: E) => Promise<Delivery | null>,
): AsyncIterableIterator<Delivery> {
  const iterator: AsyncIterableIterator<Delivery> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      for (;;) {
        const next = await source.next();
        if (next.done) return { done: true, value: undefined };
        if (!(await keep(next.value))) continue;
        const delivery = await resolve(next.value);
        if (delivery) return { done: false, value: delivery };
      }
    },
    return: async () => {
      await source.return!();
      return { done: true, value: undefined };
    },
  };
  return iterator;
}
