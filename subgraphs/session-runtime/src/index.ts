export * from './app';
export * from './config';
export { sessionMigrations } from './db/migrations';
export { GpuRegistry } from './services/gpu-registry';
export { LABELS } from './adapters/container-runtime';
export { DockerRuntime, type SessionNetworks } from './adapters/docker-runtime';
