import {
  ContainerExitedError,
  type ContainerRuntime,
  ContainerStartError,
  type ContainerState,
  type InstanceClaim,
  LABELS,
  type SessionActivity,
  launchLabels,
  type SessionLaunch,
  type SessionNotice,
} from '../../src/ports/container-runtime';

/** What the pack of an image does once started, as a test scripts it. */
export type PackBehaviour =
  { kind: 'serves' } | { kind: 'exits'; exitCode: number; log: string } | { kind: 'never-answers' };

type Operation = 'start' | 'stop' | 'remove' | 'inspect' | 'list';

interface FakeContainer {
  state: ContainerState;
  launch: SessionLaunch;
  log: string;
  serving: boolean;
}

/**
 * ContainerRuntime in memory, for fast tests of the lifecycle and recovery logic: containers start,
 * serve, exit and vanish as the test says, faults can be injected into any call, and readiness can be
 * held open to stage races. It passes the ContainerRuntime contract (test/contracts) that DockerRuntime
 * passes on the real engine (test/integration/docker-runtime.test.ts).
 */
export class InMemoryContainerRuntime implements ContainerRuntime {
  readonly containers = new Map<string, FakeContainer>();
  /** Every call, in order (`start mf-session-abc`), for assertions about what was done. */
  readonly calls: string[] = [];
  private behaviours = new Map<string, PackBehaviour>();
  private faults = new Map<Operation, Error[]>();
  private exitWatchers = new Set<(name: string) => void>();
  private readinessGate: Promise<void> | null = null;
  private nextId = 1;

  /** What containers of `image` do; every image serves unless told otherwise. */
  behave(image: string, behaviour: PackBehaviour): void {
    this.behaviours.set(image, behaviour);
  }

  /** The next call of `operation` throws `error` (queued: several calls fail in turn). */
  failNext(operation: Operation, error: Error = new Error(`injected ${operation} failure`)): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), error]);
  }

  /** Readiness waits until the returned function is called: a window in which a test stops the session. */
  holdReadiness(): () => void {
    let release!: () => void;
    this.readinessGate = new Promise((resolve) => (release = resolve));
    return () => {
      this.readinessGate = null;
      release();
    };
  }

  /** A running container dies (OOM, a crash inside the pack), as Docker would report it. */
  kill(name: string, exitCode = 137): void {
    const container = this.containers.get(name);
    if (!container) throw new Error(`no container ${name}`);
    container.state = { ...container.state, running: false, exitCode, ipAddress: null };
    for (const watcher of this.exitWatchers) watcher(name);
  }

  /** A container created by another process (or a crashed earlier run) that no session row knows. */
  plant(name: string, labels: Record<string, string>): void {
    this.containers.set(name, {
      state: { id: `c${this.nextId++}`, name, running: true, exitCode: null, ipAddress: '10.0.0.99', labels },
      launch: { name } as SessionLaunch,
      log: '',
      serving: true,
    });
  }

  running(): string[] {
    return [...this.containers.values()].filter((c) => c.state.running).map((c) => c.state.name);
  }

  /** Who holds this engine's instance name (one fake runtime is one engine and one instance name). */
  claim: InstanceClaim | null = null;

  async claimInstance(installationId: string): Promise<InstanceClaim> {
    this.claim ??= { installationId, claimedAt: new Date().toISOString() };
    return { ...this.claim };
  }

  async ensureNetworks(): Promise<void> {}

  async start(launch: SessionLaunch): Promise<ContainerState> {
    this.record('start', launch.name);
    const owner = this.containers.get(launch.name)?.state.labels[LABELS.installation];
    if (owner && owner !== launch.installationId) {
      throw new ContainerStartError(
        `${launch.name} belongs to another MedForge installation (${owner}) on this engine`,
      );
    }
    const behaviour = this.behaviours.get(launch.image) ?? { kind: 'serves' };
    const exited = behaviour.kind === 'exits';
    const state: ContainerState = {
      id: `c${this.nextId++}`,
      name: launch.name,
      running: !exited,
      exitCode: exited ? behaviour.exitCode : null,
      ipAddress: exited ? null : `10.0.0.${this.nextId}`,
      labels: launchLabels(launch),
    };
    this.containers.set(launch.name, {
      state,
      launch,
      log: exited ? behaviour.log : '',
      serving: behaviour.kind === 'serves',
    });
    return { ...state };
  }

  async waitUntilServing(
    container: ContainerState,
    timeoutMs: number,
    stillWanted: () => Promise<boolean>,
  ): Promise<'ready' | 'abandoned'> {
    if (!container.running) throw new ContainerExitedError(container.exitCode);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.readinessGate) await this.readinessGate;
      if (!(await stillWanted())) return 'abandoned';
      const now = this.containers.get(container.name);
      if (!now) throw new ContainerExitedError(null);
      if (!now.state.running) throw new ContainerExitedError(now.state.exitCode);
      if (now.serving) return 'ready';
      if (Date.now() >= deadline) throw new ContainerStartError('code-server did not answer in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async inspect(name: string): Promise<ContainerState | null> {
    this.record('inspect', name);
    const container = this.containers.get(name);
    return container ? { ...container.state } : null;
  }

  async stop(name: string, _graceSeconds: number): Promise<void> {
    this.record('stop', name);
    const container = this.containers.get(name);
    if (!container?.state.running) return;
    container.state = { ...container.state, running: false, exitCode: 0 };
    for (const watcher of this.exitWatchers) watcher(name); // as Docker's die event
  }

  async remove(name: string): Promise<void> {
    this.record('remove', name);
    this.containers.delete(name);
  }

  /** What activity() reports per container (default: no workbench traffic, no SSH). */
  readonly activities = new Map<string, SessionActivity>();

  async activity(name: string): Promise<SessionActivity> {
    if (!this.containers.get(name)?.state.running) throw new Error(`container ${name} is not running`);
    return this.activities.get(name) ?? { workbenchAt: null, sshConnections: 0, cpuUsageNs: null, keptProcesses: [] };
  }

  /** The notice each container shows now (absent: none). */
  readonly notices = new Map<string, SessionNotice>();

  async notify(name: string, notice: SessionNotice | null): Promise<void> {
    if (!this.containers.get(name)?.state.running) return;
    if (notice) this.notices.set(name, notice);
    else this.notices.delete(name);
  }

  /** What installAuthorizedKeys last put into each container. */
  readonly installedKeys = new Map<string, readonly string[]>();

  async installAuthorizedKeys(name: string, keys: readonly string[]): Promise<void> {
    if (!this.containers.get(name)?.state.running) throw new Error(`container ${name} is not running`);
    this.installedKeys.set(name, keys);
  }

  async logTail(name: string, lines: number): Promise<string> {
    return (this.containers.get(name)?.log ?? '').split('\n').slice(-lines).join('\n');
  }

  async listSessionContainers(): Promise<ContainerState[]> {
    this.record('list', '*');
    return [...this.containers.values()].map((c) => ({ ...c.state }));
  }

  private oomWatchers = new Set<(name: string) => void>();

  /** The kernel kills a process of a container at its memory limit; the container goes on. */
  outOfMemory(name: string): void {
    for (const watcher of this.oomWatchers) watcher(name);
  }

  watchOutOfMemory(onOutOfMemory: (containerName: string) => void): { close(): void } {
    this.oomWatchers.add(onOutOfMemory);
    return { close: () => this.oomWatchers.delete(onOutOfMemory) };
  }

  watchExits(onExit: (containerName: string) => void): { close(): void } {
    this.exitWatchers.add(onExit);
    return { close: () => this.exitWatchers.delete(onExit) };
  }

  private record(operation: Operation, name: string): void {
    this.calls.push(`${operation} ${name}`);
    const queued = this.faults.get(operation);
    const fault = queued?.shift();
    if (fault) throw fault;
  }
}
