import { Writable } from 'node:stream';

import { createLogger } from '../src/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger('test', 'debug', stream), text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('never writes a password, token, cookie or request body, wherever it is nested', () => {
    const { logger, text } = capture();
    logger.info({ password: 'pw-top-1' }, 'top');
    logger.info(
      { variables: { input: { email: 'a@example.org', password: 'pw-nested-2', newPassword: 'pw-3' } } },
      'v',
    );
    logger.warn({ req: { headers: { cookie: 'mf_session=tok-4', authorization: 'Bearer tok-5' } } }, 'headers');
    logger.error({ err: { type: 'entity.parse.failed', body: '{"password":"pw-6"' } }, 'body');
    logger.info({ res: { headers: { 'set-cookie': 'mf_session=tok-7' } }, token: 'tok-8', secret: 's-9' }, 'more');
    const written = text();
    for (const secret of ['pw-top-1', 'pw-nested-2', 'pw-3', 'tok-4', 'tok-5', 'pw-6', 'tok-7', 'tok-8', 's-9'])
      expect(written).not.toContain(secret);
    expect(written).toContain('a@example.org'); // what is not secret stays readable
    expect(written.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(9);
  });
});
