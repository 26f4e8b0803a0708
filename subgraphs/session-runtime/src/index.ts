export * from './app';
export * from './config';
export { sessionMigrations } from './db/migrations';
export { GpuRegistry } from './services/gpu-registry';
export { LABELS, type SessionNotice } from './ports/container-runtime';
export { DockerRuntime, type SessionNetworks } from './adapters/docker-runtime';
export type { SessionRuntimeAdapters } from './adapters/adapters-factory';
export { NvidiaSmiInventory } from './adapters/nvidia-smi-inventory';
export { NvidiaSmiTelemetry } from './adapters/nvidia-smi-telemetry';
