import { randomBytes } from 'node:crypto';

import type { EventChannel, EventChannels } from '../../src/events/event-channels';

export interface EventChannelsHarness {
  channels: EventChannels;
  /** Sends a raw message on a channel, as a service's publisher does. */
  publish(channel: string, message: string): Promise<void>;
  /** Cuts the channel's subscription the way a lost connection does, and lets it come back. */
  dropConnection(channel: string): Promise<void>;
}

/**
 * What every EventChannels does: run against the in-memory fake and Redis pub/sub, so the gateway's unit
 * tests (feeds, invalidations, the route cache) rest on a fake that delivers as Redis does.
 */
export function defineEventChannelsContract(label: string, make: () => Promise<EventChannelsHarness>): void {
  describe(`EventChannels contract: ${label}`, () => {
    let harness: EventChannelsHarness;
    const opened: Array<EventChannel<unknown>> = [];
    // Letters only: a channel's name also names its Redis connection, where other characters become '-'.
    const channelName = () =>
      `medforge:test:${randomBytes(6)
        .toString('hex')
        .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!)}`;
    const open = async <T>(channel: string): Promise<EventChannel<T>> => {
      const c = await harness.channels.open<T>(channel);
      opened.push(c as EventChannel<unknown>);
      return c;
    };

    beforeAll(async () => {
      harness = await make();
    });
    afterAll(() => {
      for (const c of opened) c.shutdown();
    });

    it('delivers each message, parsed, to every listener of its channel and to no other channel', async () => {
      const name = channelName();
      const [a, b, other] = await Promise.all([
        open<{ n: number }>(name),
        open<{ n: number }>(name),
        open(channelName()),
      ]);
      const seenA: number[] = [];
      const seenB: number[] = [];
      const seenOther: unknown[] = [];
      a.listen((e) => seenA.push(e.n));
      b.listen((e) => seenB.push(e.n));
      other.listen((e) => seenOther.push(e));
      for (const n of [1, 2, 3]) await harness.publish(name, JSON.stringify({ n }));
      await waitFor(() => seenA.length === 3 && seenB.length === 3);
      expect(seenA).toEqual([1, 2, 3]);
      expect(seenB).toEqual([1, 2, 3]);
      expect(seenOther).toEqual([]);
    });

    it('stops calling a listener once it is removed, and a channel once it is shut down', async () => {
      const name = channelName();
      const [kept, shut] = await Promise.all([open<{ n: number }>(name), open<{ n: number }>(name)]);
      const seenKept: number[] = [];
      const seenRemoved: number[] = [];
      const seenShut: number[] = [];
      kept.listen((e) => seenKept.push(e.n));
      const remove = kept.listen((e) => seenRemoved.push(e.n));
      shut.listen((e) => seenShut.push(e.n));
      await harness.publish(name, JSON.stringify({ n: 1 }));
      await waitFor(() => seenKept.length === 1 && seenShut.length === 1);
      remove();
      shut.shutdown();
      await harness.publish(name, JSON.stringify({ n: 2 }));
      await waitFor(() => seenKept.length === 2);
      expect(seenRemoved).toEqual([1]);
      expect(seenShut).toEqual([1]);
    });

    it('never hands a listener a message that is not JSON, and goes on with the next', async () => {
      const name = channelName();
      const channel = await open<unknown>(name);
      const seen: unknown[] = [];
      channel.listen((e) => seen.push(e));
      await harness.publish(name, '{not json');
      await harness.publish(name, JSON.stringify({ ok: true }));
      await waitFor(() => seen.length === 1);
      expect(seen).toEqual([{ ok: true }]);
    });

    it('tells reconnect listeners when the subscription comes back, and delivers again after it', async () => {
      const name = channelName();
      const channel = await open<{ n: number }>(name);
      let reconnects = 0;
      const seen: number[] = [];
      channel.onReconnect(() => reconnects++);
      channel.listen((e) => seen.push(e.n));
      await harness.dropConnection(name);
      await waitFor(() => reconnects === 1);
      // Resubscribed: a message sent now arrives (sent until it does, since "ready" may precede SUBSCRIBE).
      for (let n = 1; n <= 50 && seen.length === 0; n++) {
        await harness.publish(name, JSON.stringify({ n }));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen.length).toBeGreaterThan(0);
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the events');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
