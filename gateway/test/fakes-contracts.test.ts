import { defineEventChannelsContract } from './contracts/event-channels.contract';
import { InMemoryEventChannels } from './fakes/in-memory-event-channels';

// The gateway's in-memory event channels held to the contract Redis pub/sub is held to
// (test/integration/redis-event-channels.test.ts).
defineEventChannelsContract('in-memory', () => {
  const channels = new InMemoryEventChannels();
  return Promise.resolve({
    channels,
    publish: async (channel, message) => {
      await channels.publish(channel, message);
    },
    dropConnection: (channel) => {
      channels.reconnect(channel);
      return Promise.resolve();
    },
  });
});
