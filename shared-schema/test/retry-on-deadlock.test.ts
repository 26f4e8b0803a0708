import { isDeadlock, retryOnDeadlock } from '../src';

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });

describe('retryOnDeadlock', () => {
  it('runs the work again when InnoDB picked it as a deadlock victim', async () => {
    let calls = 0;
    const result = await retryOnDeadlock(async () => {
      calls++;
      if (calls < 3) throw deadlock();
      return 'done';
    });
    expect([result, calls]).toEqual(['done', 3]);
  });

  it('recognises the error wrapped by objection, and gives up after four tries', async () => {
    const wrapped = Object.assign(new Error('wrapped'), { nativeError: { code: 'ER_LOCK_DEADLOCK' } });
    expect(isDeadlock(wrapped)).toBe(true);
    let calls = 0;
    await expect(
      retryOnDeadlock(async () => {
        calls++;
        throw wrapped;
      }),
    ).rejects.toBe(wrapped);
    expect(calls).toBe(4);
  });

  it('passes any other error through at once', async () => {
    let calls = 0;
    const other = Object.assign(new Error('Duplicate entry'), { errno: 1062 });
    await expect(
      retryOnDeadlock(async () => {
        calls++;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
    expect(isDeadlock(null)).toBe(false);
  });
});
