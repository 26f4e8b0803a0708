import type { ApolloServerPlugin } from '@apollo/server';
import { type Actor, DomainError, type ErrorCode, httpStatusFor, isAdmin } from '@medforge/shared-schema';
import { BREAK, type DocumentNode, type FragmentDefinitionNode, Kind, visit } from 'graphql';

import { operationScopeRefusal } from '../auth/token-scopes';

import type { LoginCookieWriter } from '../auth/login-cookie-writer';
import type { GatewayContext } from '../context';

/**
 * A refusal from a request-pipeline hook (before any resolver runs). Apollo answers such errors with HTTP
 * 500 unless they name a status: this one carries the status of its code (403 for a foreign origin...),
 * which Apollo uses and then drops from the response.
 */
function refusal(code: ErrorCode, message: string): DomainError {
  return new DomainError(code, message, { http: { status: httpStatusFor(code) } });
}

/** Mutations change state: they must come from a MedForge origin (CSRF defence beside SameSite=Lax). */
export function originGuard(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ operation, contextValue }) => {
          if (operation?.operation === 'mutation' && !contextValue.originAllowed) {
            throw refusal(
              'ORIGIN_NOT_ALLOWED',
              'State-changing requests must come from a MedForge origin (send an allowed Origin header)',
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

/**
 * A request made with an API token may use only the fields its scopes open, at any depth
 * (auth/token-scopes). REST routes run their operations through this server, so they are held to it too.
 */
export function tokenScopeGuard(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ operation, document, contextValue, schema }) => {
          if (!operation || !contextValue.actor?.scopes) return Promise.resolve();
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const refused = operationScopeRefusal(schema, contextValue.actor, operation, fragments);
          if (refused) throw refusal('FORBIDDEN', refused);
          return Promise.resolve();
        },
      }),
  };
}

/**
 * Who may see the API's shape (introspection, the IDE page): administrators; in development, anyone
 * signed in. Never an anonymous visitor.
 */
export function mayExplore(actor: Actor | null, development: boolean): boolean {
  return development ? actor !== null : isAdmin(actor);
}

/** Introspection reveals the whole API surface: see `mayExplore`. */
export function introspectionGuard(development: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ document, contextValue }) => {
          if (mayExplore(contextValue.actor, development)) return Promise.resolve();
          if (selectsIntrospection(document)) {
            throw refusal(
              contextValue.actor ? 'FORBIDDEN' : 'UNAUTHENTICATED',
              development
                ? 'Introspection is available to signed-in users'
                : 'Introspection is available to administrators only',
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

/** Any __schema or __type field, also inside fragments. */
function selectsIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Writes the login cookie that identity issued or cleared during this /graphql request. */
export function loginCookiePlugin(writer: LoginCookieWriter): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ response, contextValue }) => {
          const header = writer.setCookieFor(contextValue);
          if (header) response.http.headers.set('set-cookie', header);
          return Promise.resolve();
        },
      }),
  };
}
