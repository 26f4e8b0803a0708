/**
 * Every limit on what a client may send, in bytes, one constant each: the gateway, the REST shim and the
 * subgraphs read them from here, and the docs (auth-routing.md, competitions.md) name the same figures.
 */
const MiB = 1024 * 1024;

/** The largest submission file any competition accepts (each competition's own limit is at most this). */
export const MAX_SUBMISSION_FILE_BYTES = 8 * MiB;

/** A JSON body on an `/api/v2` route (a submission travels as multipart, not JSON). */
export const MAX_REST_JSON_BODY_BYTES = 64 * 1024;

/** A GraphQL body from a client that is not signed in. */
export const MAX_ANONYMOUS_GRAPHQL_BODY_BYTES = 1 * MiB;

/**
 * A GraphQL body from a signed-in client, and any body a subgraph takes behind the gateway's signature: the
 * largest submission file inline as base64 (4/3 of it) with room to spare for the rest of the request.
 */
export const MAX_SIGNED_IN_GRAPHQL_BODY_BYTES = (MAX_SUBMISSION_FILE_BYTES * 3) / 2;

/** A limit as people read it: `64 KiB`, `1 MiB`, `12 MiB`. */
export function formatByteLimit(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / 1024} KiB`;
}
