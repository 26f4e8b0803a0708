import type { SubmissionChecker } from '../../src/ports/submission-checker';

const titanic = { slug: 'titanic-survival', id_column: 'PassengerId', target_column: 'Survived' };
const csv = (text: string) => Buffer.from(text, 'utf8');

/**
 * What every SubmissionChecker answers for a file, before anything is stored: the same refusals (message
 * and line) in the calling thread as on the pool of threads, and nothing for a file the scorer can read.
 * The harness's published data has no sample submissions installed, so id membership waits for the
 * scorer in both.
 */
export function defineSubmissionCheckerContract(label: string, make: () => Promise<SubmissionChecker>): void {
  describe(`SubmissionChecker contract: ${label}`, () => {
    let checker: SubmissionChecker;
    beforeAll(async () => {
      checker = await make();
    });
    afterAll(() => checker?.close());

    it('accepts a file its competition can score, and any file of a competition without a scorer', async () => {
      expect(await checker.check(titanic, csv('PassengerId,Survived\n892,0\n893,1\n'))).toBeNull();
      expect(
        await checker.check({ slug: 'no-such-competition', id_column: 'id', target_column: 'y' }, csv('?')),
      ).toBeNull();
    });

    it.each([
      ['the wrong header', 'id,Survived\n892,0\n', /PassengerId/, 1],
      ['a label that is not 0 or 1', 'PassengerId,Survived\n892,0\n893,2\n', /Survived|0 or 1|label/i, 3],
      ['an id given twice', 'PassengerId,Survived\n892,0\n892,1\n', /892|twice|duplicate/i, 3],
      ['an empty file', '', /empty|header/i, null],
    ])('refuses %s, naming the line', async (_what, text, message, line) => {
      const refusal = await checker.check(titanic, csv(text));
      expect(refusal?.message).toMatch(message);
      if (line !== null) expect(refusal?.line).toBe(line);
    });

    it('refuses bytes that are not UTF-8 text', async () => {
      const refusal = await checker.check(titanic, Buffer.from([0x50, 0x61, 0xff, 0xfe, 0x0a]));
      expect(refusal).not.toBeNull();
    });

    it('checks files concurrently without mixing up their answers', async () => {
      const good = csv('PassengerId,Survived\n892,0\n');
      const bad = csv('PassengerId,Survived\n892,7\n');
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => checker.check(titanic, i % 2 === 0 ? good : bad)),
      );
      answers.forEach((answer, i) => (i % 2 === 0 ? expect(answer).toBeNull() : expect(answer).not.toBeNull()));
    });
  });
}
