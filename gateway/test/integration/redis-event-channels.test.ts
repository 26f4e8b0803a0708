import { createLogger, createRedis, type Redis } from '@medforge/shared-schema';
import { testEnv } from '@medforge/shared-schema/testing';

import { RedisEventChannels } from '../../src/events/redis-event-channels';
import { defineEventChannelsContract } from '../contracts/event-channels.contract';

const redisUrl = testEnv()['REDIS_URL']!;
let publisher: Redis;

afterAll(() => publisher?.disconnect());

defineEventChannelsContract('Redis pub/sub', () => {
  publisher = createRedis(redisUrl, 'medforge-test-event-channels');
  return Promise.resolve({
    channels: new RedisEventChannels(redisUrl, createLogger('gateway-test', 'silent')),
    publish: async (channel, message) => {
      await publisher.publish(channel, message);
    },
    // Only the channel's own connection (named after the channel, unique to this test) is cut.
    dropConnection: async (channel) => {
      const name = `medforge-gateway-${channel.replace(/[^a-z]+/g, '-')}`;
      const clients = String(await publisher.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const id = clients
        .split('\n')
        .find((line) => line.includes(` name=${name} `))
        ?.match(/^id=(\d+)/)?.[1];
      if (!id) throw new Error(`no Redis connection named ${name}`);
      await publisher.call('CLIENT', 'KILL', 'ID', id);
    },
  });
});
