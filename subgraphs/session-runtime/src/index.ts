export * from './app';
export * from './config';
export { sessionMigrations } from './db/migrations';
export { GpuRegistry } from './services/gpu-registry';
export { LABELS } from './adapters/container-runtime';
