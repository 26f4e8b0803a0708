import path from 'node:path';

import { NvidiaSmiInventory } from '../src/adapters/nvidia-smi-inventory';
import { NvidiaSmiTelemetry } from '../src/adapters/nvidia-smi-telemetry';
import { VirtualGpuInventory } from '../src/adapters/virtual-gpu-inventory';
import { defineContainerRuntimeContract, EXITING_PACK } from './contracts/container-runtime.contract';
import { defineGpuInventoryContract } from './contracts/gpu-inventory.contract';
import { defineGpuTelemetryContract } from './contracts/gpu-telemetry.contract';
import { defineIdentityPortsContract } from './contracts/identity-ports.contract';
import { defineWorkspaceStoreContract } from './contracts/workspace-store.contract';
import { InMemoryContainerRuntime } from './fakes/in-memory-container-runtime';
import { InMemoryIdentity } from './fakes/in-memory-identity';
import { InMemorySessionTokens } from './fakes/in-memory-session-tokens';
import { InMemoryWorkspaceStore } from './fakes/in-memory-workspace-store';

// The fakes the lifecycle's unit tests use behave as the real adapters do: the same contracts run
// against DockerRuntime and the directory and ZFS stores (test/integration/).

defineContainerRuntimeContract('InMemoryContainerRuntime', async () => {
  const runtime = new InMemoryContainerRuntime();
  runtime.behave('exits', { kind: 'exits', ...EXITING_PACK });
  runtime.behave('never-answers', { kind: 'never-answers' });
  let homes = 0;
  return {
    runtime,
    images: { serves: 'serves', exits: 'exits', 'never-answers': 'never-answers' },
    homePath: () => `/fake/homes/${++homes}`,
    crash: async (name) => runtime.kill(name),
    readinessTimeoutMs: 50,
  };
});

defineWorkspaceStoreContract('InMemoryWorkspaceStore', async () => {
  const store = new InMemoryWorkspaceStore();
  return {
    store,
    enforcesQuota: false,
    write: async (hostPath, text) => store.writeAt(hostPath, text),
    read: async (hostPath) => store.readAt(hostPath),
  };
});

// Both inventories the registry can be given: the virtual one of hosts without GPUs, and nvidia-smi's (here
// the program that prints what nvidia-smi prints on a seven-GPU host, ops/test/fake-nvidia-smi).
defineGpuInventoryContract('VirtualGpuInventory', async () => ({ inventory: new VirtualGpuInventory(4), expected: 4 }));
defineGpuInventoryContract('NvidiaSmiInventory (nvidia-smi output of a seven-GPU host)', async () => ({
  inventory: new NvidiaSmiInventory(path.join(__dirname, '../../../ops/test/fake-nvidia-smi')),
  expected: 7,
}));
defineGpuTelemetryContract('NvidiaSmiTelemetry (nvidia-smi output of a seven-GPU host)', async () => ({
  source: new NvidiaSmiTelemetry(path.join(__dirname, '../../../ops/test/fake-nvidia-smi')),
  expected: 7,
}));

defineIdentityPortsContract('in memory', async () => {
  const identity = new InMemoryIdentity();
  const tokens = new InMemorySessionTokens();
  return {
    tokens,
    keys: identity,
    owners: identity,
    addUser: async (user) => identity.addUser(user),
    tokenSession: async (token) => tokens.sessionOf(token),
  };
});
