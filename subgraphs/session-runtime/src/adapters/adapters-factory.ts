import { ServiceClient } from '@medforge/shared-schema';
import Docker from 'dockerode';

import type { SessionRuntimeConfig } from '../config';
import type { ContainerRuntime } from '../ports/container-runtime';
import { DockerRuntime } from './docker-runtime';
import type { GpuInventory } from '../ports/gpu-inventory';
import { createGpuInventory } from './gpu-inventory-factory';
import { type GpuTelemetrySource } from '../ports/gpu-telemetry';
import { NvidiaSmiTelemetry } from './nvidia-smi-telemetry';
import { IdentityOwners } from './identity-owners';
import { IdentitySshKeys } from './identity-keys';
import type { OwnerDirectory } from '../ports/notification-sink';
import { type SessionTokenIssuer } from '../ports/session-tokens';
import { IdentitySessionTokens } from './identity-session-tokens';
import type { SshKeySource } from '../ports/ssh-key-source';
import type { WorkspaceStore } from '../ports/workspace-store';
import { createWorkspaceStore } from './workspace-store-factory';

/** Everything session-runtime talks to outside its database and Redis, each behind its interface. */
export interface SessionRuntimeAdapters {
  containers: ContainerRuntime;
  workspaces: WorkspaceStore;
  gpus: GpuInventory;
  /** Readings of physical GPUs; null on virtual inventories (no telemetry). */
  telemetry: GpuTelemetrySource | null;
  sshKeys: SshKeySource;
  sessionTokens: SessionTokenIssuer;
  /** Session owners' names for notifications (identity). */
  owners: OwnerDirectory;
}

const IDENTITY_TIMEOUT_MS = 5_000;

/**
 * How sessions on a network reach the platform (`medforge submit`): its host name pointed at `address`
 * (the edge on that network) when one is configured, else ordinary DNS.
 */
export function platformHost(publicUrl: string, address: string | undefined): string[] {
  return address ? [`${new URL(publicUrl).hostname}:${address}`] : [];
}

/**
 * The adapters a caller did not pass, as the config names them: Docker, ZFS or directories, nvidia-smi or
 * virtual GPUs, identity. A test with fakes for all of them needs no Docker at all.
 */
export function createSessionRuntimeAdapters(
  config: Readonly<SessionRuntimeConfig>,
  given: Partial<SessionRuntimeAdapters> = {},
): SessionRuntimeAdapters {
  const identity = new ServiceClient(
    'session-runtime',
    'identity',
    config.IDENTITY_URL,
    config.CONTEXT_SIGNING_SECRET,
    IDENTITY_TIMEOUT_MS,
  );
  return {
    containers:
      given.containers ??
      new DockerRuntime(
        new Docker(),
        {
          external: {
            name: config.SESSION_NETWORK_EXTERNAL,
            subnet: config.SESSION_NETWORK_EXTERNAL_SUBNET,
            extraHosts: platformHost(config.MEDFORGE_PUBLIC_URL, config.SESSION_API_HOST_EXTERNAL),
          },
          internal: {
            name: config.SESSION_NETWORK_INTERNAL,
            subnet: config.SESSION_NETWORK_INTERNAL_SUBNET,
            extraHosts: platformHost(config.MEDFORGE_PUBLIC_URL, config.SESSION_API_HOST_INTERNAL),
          },
        },
        config.MEDFORGE_INSTANCE,
      ),
    workspaces: given.workspaces ?? createWorkspaceStore(config),
    gpus: given.gpus ?? createGpuInventory(config.MEDFORGE_GPUS),
    // Readings come from where the inventory does: nvidia-smi for nvidia-smi, none for virtual or given GPUs.
    telemetry:
      given.telemetry !== undefined
        ? given.telemetry
        : given.gpus || config.MEDFORGE_GPUS.kind === 'virtual'
          ? null
          : new NvidiaSmiTelemetry(),
    sshKeys: given.sshKeys ?? new IdentitySshKeys(identity),
    sessionTokens: given.sessionTokens ?? new IdentitySessionTokens(identity),
    owners: given.owners ?? new IdentityOwners(identity),
  };
}
