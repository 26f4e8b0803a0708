import {
  formatByteLimit,
  MAX_ANONYMOUS_GRAPHQL_BODY_BYTES,
  MAX_REST_JSON_BODY_BYTES,
  MAX_SIGNED_IN_GRAPHQL_BODY_BYTES,
  MAX_SUBMISSION_FILE_BYTES,
  requestErrorOf,
} from '../src';

describe('body limits', () => {
  it('are the documented figures, and a signed-in GraphQL body holds the largest submission as base64', () => {
    expect(
      [
        MAX_REST_JSON_BODY_BYTES,
        MAX_ANONYMOUS_GRAPHQL_BODY_BYTES,
        MAX_SUBMISSION_FILE_BYTES,
        MAX_SIGNED_IN_GRAPHQL_BODY_BYTES,
      ].map(formatByteLimit),
    ).toEqual(['64 KiB', '1 MiB', '8 MiB', '12 MiB']);
    const base64 = Buffer.alloc(MAX_SUBMISSION_FILE_BYTES).toString('base64').length;
    expect(MAX_SIGNED_IN_GRAPHQL_BODY_BYTES - base64).toBeGreaterThan(512 * 1024);
  });

  it('name the limit a refused body went over', () => {
    expect(requestErrorOf({ type: 'entity.too.large' }, MAX_ANONYMOUS_GRAPHQL_BODY_BYTES)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'Request body over 1 MiB',
    });
    expect(requestErrorOf({ status: 413 }, MAX_REST_JSON_BODY_BYTES)?.detail).toBe('Request body over 64 KiB');
  });
});
