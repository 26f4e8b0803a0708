import { defineContainerRuntimeContract, EXITING_PACK } from './contracts/container-runtime.contract';
import { defineWorkspaceStoreContract } from './contracts/workspace-store.contract';
import { InMemoryContainerRuntime } from './fakes/in-memory-container-runtime';
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
