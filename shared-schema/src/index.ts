export * from './config';
export * from './context';
export * from './db';
export * from './errors';
export * from './graphql';
export { createLogger, type Logger } from './logger';
export { runService } from './run-service';
export * from './server';
export * from './supergraph';
export { z } from 'zod';
export { createRedis, type Redis } from './redis';
export {
  announce,
  type EventPublisher,
  GPU_TELEMETRY_CHANNEL,
  type GpuTelemetryEvent,
  SESSION_EVENTS_CHANNEL,
  type SessionEvent,
  SUBMISSION_EVENTS_CHANNEL,
  type SubmissionEvent,
} from './events';
export { SESSION_DATA_MOUNTS } from './data-mounts';
export { type BudgetLimits, FailureBudget } from './rate-limits/failure-budget';
export { type Clock, systemClock } from './clock';
