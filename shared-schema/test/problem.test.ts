import { DomainError, ERROR_CODES, httpStatusFor, isErrorCode, toProblem } from '../src';

describe('error model', () => {
  it('builds problem+json bodies with type, status, detail, code and request id', () => {
    expect(toProblem('QUOTA_EXCEEDED', '0 submissions left today', 'req_9', { remaining: 0 })).toEqual({
      type: 'https://medforge.dev/problems/quota-exceeded',
      title: 'Quota exceeded',
      status: 429,
      detail: '0 submissions left today',
      code: 'QUOTA_EXCEEDED',
      request_id: 'req_9',
      remaining: 0,
    });
  });

  it('does not let extensions overwrite the standard members', () => {
    const problem = toProblem('NOT_FOUND', 'gone', 'req_1', { status: 200, code: 'X' });
    expect(problem.status).toBe(404);
    expect(problem.code).toBe('NOT_FOUND');
  });

  it('carries the code in GraphQL extensions', () => {
    const error = new DomainError('FORBIDDEN', 'no', { hint: 'ask an admin' });
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', hint: 'ask an admin' });
    expect(error.httpStatus).toBe(403);
  });

  it('maps every code to a 4xx or 5xx status', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(isErrorCode(code)).toBe(true);
      const status = httpStatusFor(code as keyof typeof ERROR_CODES);
      expect(status >= 400 && status < 600).toBe(true);
    }
    expect(isErrorCode('toString')).toBe(false);
  });
});
