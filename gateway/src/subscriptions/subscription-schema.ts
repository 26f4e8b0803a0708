import type { ApolloServer } from '@apollo/server';
import { DomainError, type SessionEvent } from '@medforge/shared-schema';
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
import type { GatewayContext } from '../context';
import type { SessionEventHub } from './session-event-hub';

/** Per websocket connection: who opened it (re-checked on every event, so a logout ends delivery). */
export interface SubscriptionContext {
  sessionTokenHash: string | null;
  clientIp: string | null;
  requestId: () => string;
}

const SUBSCRIPTION_SDL = `
  extend schema {
    subscription: Subscription
  }

  type Subscription {
    """
    Changes of your sessions (all sessions for admins), or of one session when \`id\` is given. Every
    field of Session, including those other subgraphs own (user, gpu, ...), can be selected.
    """
    sessionUpdated(id: ID): Session!
  }`;

/**
 * @apollo/gateway does not execute subscriptions, so the gateway serves them itself (the pattern of
 * Apollo's federation-subscription-tools): the supergraph's API schema gains a Subscription type whose
 * events come from Redis, and each event's payload is resolved by running the subscriber's own
 * selection set as a federated `session(id)` query, with the subscriber's authorization.
 */
export function buildSubscriptionSchema(
  apiSchema: GraphQLSchema,
  hub: SessionEventHub,
  apollo: ApolloServer<GatewayContext>,
  authenticator: Authenticator,
): GraphQLSchema {
  const schema = extendSchema(apiSchema, parse(SUBSCRIPTION_SDL));
  const field = schema.getSubscriptionType()!.getFields()['sessionUpdated']!;

  const contextFor = async (ctx: SubscriptionContext): Promise<GatewayContext | null> => {
    const requestId = ctx.requestId();
    const actor = ctx.sessionTokenHash ? await authenticator.authenticate(ctx.sessionTokenHash, requestId) : null;
    if (!actor) return null;
    return {
      requestId,
      actor,
      clientIp: ctx.clientIp,
      originAllowed: false,
      sessionTokenHash: ctx.sessionTokenHash,
      sessionEffects: {},
    };
  };

  field.subscribe = async (_root, args: { id?: string | null }, ctx: SubscriptionContext) => {
    if (!(await contextFor(ctx))) throw new DomainError('UNAUTHENTICATED', 'Sign in to subscribe to sessions');
    return filterEvents(hub.subscribe(), async (event) => {
      if (args.id && event.sessionId !== args.id) return false;
      const context = await contextFor(ctx);
      return !!context?.actor && (context.actor.role === 'admin' || context.actor.userId === event.userId);
    });
  };

  field.resolve = async (event: SessionEvent, _args, ctx: SubscriptionContext, info: GraphQLResolveInfo) => {
    const context = await contextFor(ctx);
    if (!context) throw new DomainError('UNAUTHENTICATED', 'Your login ended');
    const response = await apollo.executeOperation(federatedQueryFor(info, event.sessionId), { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental result');
    const { data, errors } = response.body.singleResult;
    if (errors?.length) {
      throw new GraphQLError(errors[0]!.message, { extensions: errors[0]!.extensions ?? {} });
    }
    const session = (data as { session: unknown } | null)?.session;
    if (!session) throw new DomainError('NOT_FOUND', `Session ${event.sessionId} is not visible to you`);
    return session;
  };

  return schema;
}

/** `query { session(id) { <the subscriber's selection> } }` with the fragments and variables it uses. */
function federatedQueryFor(info: GraphQLResolveInfo, sessionId: string) {
  const selection: SelectionSetNode = info.fieldNodes[0]!.selectionSet!;
  const fragments = Object.values(info.fragments).map(print).join('\n');
  const body = `${print(selection)}\n${fragments}`;
  const usedVariables = (info.operation.variableDefinitions ?? []).filter((definition) =>
    new RegExp(`\\$${definition.variable.name.value}\\b`).test(body),
  );
  const declarations = [
    '$__sessionId: ID!',
    ...usedVariables.map((d) => print({ ...d, kind: Kind.VARIABLE_DEFINITION })),
  ];
  return {
    query: `query SessionUpdated(${declarations.join(', ')}) { session(id: $__sessionId) ${print(selection)} }\n${fragments}`,
    operationName: 'SessionUpdated',
    variables: { ...info.variableValues, __sessionId: sessionId },
  };
}

/** An async iterator of the events passing `keep`; `return()` reaches the source at once. */
function filterEvents(
  source: AsyncIterableIterator<SessionEvent>,
  keep: (event: SessionEvent) => Promise<boolean>,
): AsyncIterableIterator<SessionEvent> {
  const iterator: AsyncIterableIterator<SessionEvent> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      for (;;) {
        const next = await source.next();
        if (next.done || (await keep(next.value))) return next;
      }
    },
    return: () => source.return!(),
  };
  return iterator;
}
