export * from './app';
export * from './config';
export type { GatewayAdapters } from './gateway-adapters';
export type { EventChannel, EventChannels } from './events/event-channels';
