import { Exposure } from '@medforge/shared-schema';
import type Docker from 'dockerode';

import {
  CLAIMED_AT_LABEL,
  ContainerExitedError,
  ContainerStartError,
  HostPortTakenError,
  type ContainerRuntime,
  type ContainerState,
  INSTANCE_LABEL,
  type InstanceClaim,
  KEPT_PROCESSES_DIR,
  instanceClaimVolume,
  LABELS,
  MANAGED_LABEL,
  NOTICE_FILE,
  PACK_LAYOUT,
  type SessionActivity,
  type SessionLaunch,
  type SessionNotice,
} from '../ports/container-runtime';
import { sessionContainerOptions } from './docker-container-spec';
import { waitForCodeServer } from './readiness';
import { sessionAddressRange } from './session-address-range';

/**
 * What says a session is in use: the time code-server last touched its heartbeat file (it does on
 * workbench traffic); the container's CPU time so far, from its own cgroup (`cpu-usec` on cgroup v2,
 * `cpu-ns` on v1; Docker's statistics API takes a second per container to say the same); the processes
 * `medforge keepalive` marked that still run (`keep <pid> <command>`; markers of ended ones are removed);
 * then the container's TCP table, where established connections to :2222 are SSH.
 */
const ACTIVITY_SCRIPT =
  'hb="$HOME/.local/share/code-server/heartbeat"; if [ -e "$hb" ]; then stat -c %Y "$hb"; else echo 0; fi; ' +
  'if [ -r /sys/fs/cgroup/cpu.stat ]; then sed -n "s/^usage_usec /cpu-usec /p" /sys/fs/cgroup/cpu.stat; ' +
  'elif [ -r /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then echo "cpu-ns $(cat /sys/fs/cgroup/cpuacct/cpuacct.usage)"; fi; ' +
  `for f in ${KEPT_PROCESSES_DIR}/*; do [ -f "$f" ] || continue; p="\${f##*/}"; ` +
  'if [ -d "/proc/$p" ]; then printf "keep %s %s\\n" "$p" "$(head -c 200 "$f" | tr "\\n" " ")"; else rm -f "$f"; fi; done; ' +
  'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null';
const SSH_PORT_HEX = PACK_LAYOUT.sshPort.toString(16).toUpperCase().padStart(4, '0');
const TCP_ESTABLISHED = '01';

/** What ACTIVITY_SCRIPT printed. */
export function parseActivity(output: string): SessionActivity {
  const [first, ...rest] = output.split('\n');
  const seconds = Number(first?.trim());
  let sshConnections = 0;
  let cpuUsageNs: number | null = null;
  const keptProcesses: Array<{ pid: number; command: string }> = [];
  for (const line of rest) {
    const cpu = /^cpu-(usec|ns) (\d+)$/.exec(line.trim());
    if (cpu) {
      cpuUsageNs = Number(cpu[2]) * (cpu[1] === 'usec' ? 1000 : 1);
      continue;
    }
    const kept = /^keep (\d+) ?(.*)$/.exec(line);
    if (kept) {
      keptProcesses.push({ pid: Number(kept[1]), command: kept[2]!.trim() });
      continue;
    }
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${SSH_PORT_HEX}`) && fields[3] === TCP_ESTABLISHED) sshConnections++;
  }
  return {
    workbenchAt: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null,
    sshConnections,
    cpuUsageNs,
    keptProcesses,
  };
}

/**
 * Writes the workbench notice (the medforge-notices extension shows it) and says it on every terminal
 * of the session user, as `wall` would; NOTICE_TEXT and NOTICE_JSON come from the environment.
 */
const NOTICE_SCRIPT =
  `umask 077 && printf "%s" "$NOTICE_JSON" > ${NOTICE_FILE}.new && mv -f ${NOTICE_FILE}.new ${NOTICE_FILE} && ` +
  'for t in /dev/pts/[0-9]*; do [ -O "$t" ] && printf "\\r\\n*** MedForge: %s ***\\r\\n" "$NOTICE_TEXT" > "$t" 2>/dev/null; done; true';
const CLEAR_NOTICE_SCRIPT = `rm -f ${NOTICE_FILE}`;

/**
 * Replaces the keys sshd accepts whole (a new file renamed over it), as the session user, from the env.
 * They live with sshd's runtime files (deploy/packs/session-entrypoint.sh), not in the home.
 */
const AUTHORIZED_KEYS = '/tmp/medforge-sshd/authorized_keys';
const INSTALL_KEYS_SCRIPT =
  `umask 077 && printf "%s\\n" "$MEDFORGE_SSH_AUTHORIZED_KEYS" > ${AUTHORIZED_KEYS}.new && ` +
  `mv -f ${AUTHORIZED_KEYS}.new ${AUTHORIZED_KEYS}`;

/** How long a lost network-creation race waits for the winner's network to be listed: 25 × 200 ms. */
const NETWORK_RACE_CHECKS = 25;
const NETWORK_RACE_CHECK_MS = 200;

/** How long a removal that another caller started is waited for: 50 × 200 ms. */
const REMOVAL_CHECKS = 50;
const REMOVAL_CHECK_MS = 200;

/** A session network: its name, its subnet, and `name:address` lines it adds to its containers' /etc/hosts. */
export interface SessionNetwork {
  name: string;
  subnet: string;
  extraHosts?: readonly string[];
}

export interface SessionNetworks {
  external: SessionNetwork;
  internal: SessionNetwork;
}

/**
 * Sessions as Docker containers (docker-container-spec): EXTERNAL sessions on a bridge with egress and
 * INTERNAL ones on an `internal` network without any.
 */
export class DockerRuntime implements ContainerRuntime {
  constructor(
    private readonly docker: Docker,
    private readonly networks: SessionNetworks,
    /** Installations sharing one Docker engine (e.g. test stacks) never see each other's containers. */
    private readonly instance: string,
  ) {}

  /**
   * The claim is a Docker volume named after the instance (`medforge-instance-<name>`), labelled with the
   * installation that made it: creating a volume that exists returns the existing one, labels and all,
   * so of two installations racing for one name exactly one holds it. It holds no data.
   */
  async claimInstance(installationId: string): Promise<InstanceClaim> {
    const name = instanceClaimVolume(this.instance);
    await this.docker.createVolume({
      Name: name,
      Labels: {
        [MANAGED_LABEL]: 'true',
        [INSTANCE_LABEL]: this.instance,
        [LABELS.installation]: installationId,
        [CLAIMED_AT_LABEL]: new Date().toISOString(),
      },
    });
    const { Labels: labels } = (await this.docker.getVolume(name).inspect()) as { Labels?: Record<string, string> };
    return { installationId: labels?.[LABELS.installation] ?? 'unknown', claimedAt: labels?.[CLAIMED_AT_LABEL] ?? '' };
  }

  async ensureNetworks(): Promise<void> {
    for (const [exposure, network] of Object.entries(this.networks) as Array<[string, SessionNetwork]>) {
      const existing = await this.docker.listNetworks({ filters: { name: [network.name] } });
      if (existing.some((n) => n.Name === network.name)) continue;
      try {
        await this.docker.createNetwork({
          Name: network.name,
          Driver: 'bridge',
          Internal: exposure === 'internal',
          CheckDuplicate: true,
          IPAM: { Config: [{ Subnet: network.subnet, IPRange: sessionAddressRange(network.subnet) }] },
          Labels: { [MANAGED_LABEL]: 'true' },
        });
      } catch (error) {
        // Another process created it between our look and our create (Docker answers 409, or 403 "Pool
        // overlaps" when the racing network already holds the subnet): fine once it exists. Docker
        // reserves the subnet before the network is listed, so the winner may take a moment to appear.
        if (!(await this.networkAppears(network.name))) throw error;
      }
    }
  }

  private async networkAppears(name: string): Promise<boolean> {
    for (let attempt = 0; attempt < NETWORK_RACE_CHECKS; attempt++) {
      const now = await this.docker.listNetworks({ filters: { name: [name] } });
      if (now.some((n) => n.Name === name)) return true;
      await new Promise((resolve) => setTimeout(resolve, NETWORK_RACE_CHECK_MS));
    }
    return false;
  }

  async start(launch: SessionLaunch): Promise<ContainerState> {
    // A leftover of this installation is replaced; a container of another one is never touched.
    const owner = (await this.inspect(launch.name))?.labels[LABELS.installation];
    if (owner && owner !== launch.installationId) {
      throw new ContainerStartError(
        `${launch.name} belongs to another MedForge installation (${owner}) on this engine`,
      );
    }
    await this.remove(launch.name);
    const network = launch.session.exposure === Exposure.INTERNAL ? this.networks.internal : this.networks.external;
    const container = await this.docker.createContainer(
      sessionContainerOptions(launch, {
        network: network.name,
        extraHosts: network.extraHosts ?? [],
        instance: this.instance,
      }),
    );
    try {
      await container.start();
    } catch (error) {
      // Docker answers 500 "… Bind for 0.0.0.0:N failed: port is already allocated" (or "address already in use").
      const message = (error as Error).message;
      if (launch.sshPort && /port is already allocated|address already in use/i.test(message)) {
        await this.remove(launch.name);
        throw new HostPortTakenError(launch.sshPort);
      }
      throw error;
    }
    const state = await this.inspect(launch.name);
    if (!state) throw new Error(`container ${launch.name} vanished right after it started`);
    return state;
  }

  async waitUntilServing(
    container: ContainerState,
    timeoutMs: number,
    stillWanted: () => Promise<boolean>,
  ): Promise<'ready' | 'abandoned'> {
    // A pack that fails at once is gone before it could get an address: say how it ended.
    if (!container.running) throw new ContainerExitedError(container.exitCode);
    if (!container.ipAddress) throw new Error('container has no address on its session network');
    return await waitForCodeServer(container.ipAddress, PACK_LAYOUT.codeServerPort, timeoutMs, async () => {
      if (!(await stillWanted())) return 'abandoned';
      const now = await this.inspect(container.name);
      if (!now) return { exitCode: null };
      return now.running ? 'starting' : { exitCode: now.exitCode };
    });
  }

  async inspect(name: string): Promise<ContainerState | null> {
    try {
      return toState(await this.docker.getContainer(name).inspect());
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  }

  async stop(name: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(name).stop({ t: graceSeconds });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 304 && status !== 404) throw error; // 304: already stopped
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.docker.getContainer(name).remove({ force: true, v: true });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) return;
      if (status !== 409) throw error;
      // 409: another caller (a concurrent reconciliation) is removing it; gone means gone when we return.
      for (let attempt = 0; attempt < REMOVAL_CHECKS && (await this.inspect(name)); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, REMOVAL_CHECK_MS));
      }
    }
  }

  async installAuthorizedKeys(name: string, keys: readonly string[]): Promise<void> {
    await this.execAsUser(name, INSTALL_KEYS_SCRIPT, [`MEDFORGE_SSH_AUTHORIZED_KEYS=${keys.join('\n')}`]);
  }

  async activity(name: string): Promise<SessionActivity> {
    return parseActivity(await this.execAsUser(name, ACTIVITY_SCRIPT, []));
  }

  async notify(name: string, notice: SessionNotice | null): Promise<void> {
    if (!(await this.inspect(name))?.running) return;
    if (!notice) {
      await this.execAsUser(name, CLEAR_NOTICE_SCRIPT, []);
      return;
    }
    await this.execAsUser(name, NOTICE_SCRIPT, [
      `NOTICE_JSON=${JSON.stringify({ ...notice, at: new Date().toISOString() })}`,
      `NOTICE_TEXT=${notice.message}`,
    ]);
  }

  /** Runs a shell script as the session user (uid 1000); its output, or an error naming the exit code. */
  private async execAsUser(name: string, script: string, env: string[]): Promise<string> {
    const exec = await this.docker.getContainer(name).exec({
      Cmd: ['sh', '-c', script],
      Env: env,
      User: '1000:1000',
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    const output = demultiplex(Buffer.concat(chunks));
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new Error(`a command in ${name} failed (exit ${ExitCode}): ${output.slice(0, 500)}`);
    return output;
  }

  async logTail(name: string, lines: number): Promise<string> {
    try {
      const raw = await this.docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines, follow: false });
      return demultiplex(raw);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return '';
      throw error;
    }
  }

  watchExits(onExit: (containerName: string) => void): { close(): void } {
    return this.followEvents('die', onExit);
  }

  watchOutOfMemory(onOutOfMemory: (containerName: string) => void): { close(): void } {
    return this.followEvents('oom', onOutOfMemory);
  }

  /** Calls `onEvent` with the container's name for each `event` of this instance's containers, until closed. */
  private followEvents(event: 'die' | 'oom', onEvent: (containerName: string) => void): { close(): void } {
    let closed = false;
    let stream: NodeJS.ReadableStream | null = null;
    let retry: NodeJS.Timeout | null = null;
    const connect = () => {
      this.docker
        .getEvents({
          filters: {
            type: ['container'],
            event: [event],
            label: [`${MANAGED_LABEL}=true`, `${INSTANCE_LABEL}=${this.instance}`],
          },
        })
        .then((events) => {
          if (closed) return (events as unknown as { destroy(): void }).destroy();
          stream = events;
          let buffered = '';
          events.on('data', (chunk: Buffer) => {
            buffered += chunk.toString('utf8');
            let newline: number;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline);
              buffered = buffered.slice(newline + 1);
              try {
                const name = (JSON.parse(line) as { Actor?: { Attributes?: { name?: string } } }).Actor?.Attributes
                  ?.name;
                if (name) onEvent(name);
              } catch {
                // not an event line; Docker sends one JSON object per line
              }
            }
          });
          events.on('end', reconnect);
          events.on('error', reconnect);
        })
        .catch(reconnect);
    };
    // The event stream ends when dockerd restarts: reconnect, without ever holding the process open.
    const reconnect = () => {
      stream = null;
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = null;
        connect();
      }, 1_000);
      retry.unref();
    };
    connect();
    return {
      close: () => {
        closed = true;
        if (retry) clearTimeout(retry);
        (stream as unknown as { destroy?: () => void } | null)?.destroy?.();
      },
    };
  }

  async listSessionContainers(): Promise<ContainerState[]> {
    const summaries = await this.docker.listContainers({
      all: true,
      filters: { label: [`${MANAGED_LABEL}=true`, `${INSTANCE_LABEL}=${this.instance}`] },
    });
    return summaries.map((summary) => {
      const networks = Object.values(summary.NetworkSettings?.Networks ?? {});
      return {
        id: summary.Id,
        name: (summary.Names[0] ?? '').replace(/^\//, ''),
        running: summary.State === 'running',
        exitCode: null,
        ipAddress: networks.find((n) => n.IPAddress)?.IPAddress ?? null,
        labels: summary.Labels ?? {},
      };
    });
  }
}

function toState(info: Docker.ContainerInspectInfo): ContainerState {
  const networks = Object.values(info.NetworkSettings?.Networks ?? {});
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    running: info.State.Running,
    exitCode: info.State.Running ? null : info.State.ExitCode,
    ipAddress: networks.find((n) => n.IPAddress)?.IPAddress || null,
    labels: info.Config.Labels ?? {},
  };
}

/**
 * Session containers run without a TTY, so Docker frames their log: per chunk an 8-byte header (stream
 * type, 3 zero bytes, big-endian payload length), then the payload.
 */
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
