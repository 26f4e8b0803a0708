import { checkPack, devPackImageId, unreadablePackImageId } from '../testkit/pack';

/** ops/packs/check-pack.sh, the gate every pack passes before sessions get it (build and `npm run up`). */
describe('the session pack check', () => {
  it('passes the dev pack: sshd and code-server answer as uid 1000', () => {
    const result = checkPack(devPackImageId());
    expect(result.output).toMatch(/pack check passed: sshd and code-server \(4\.\d+\.\d+ .*\) answer as uid 1000/);
    expect(result.status).toBe(0);
  }, 120_000);

  it('fails a pack whose files uid 1000 cannot read, and shows why', () => {
    const result = checkPack(unreadablePackImageId());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('pack check FAILED: the entrypoint exited with code 127');
    expect(result.output).toContain('code-server: not found');
  }, 120_000);
});
