import type Docker from 'dockerode';

import {
  INSTANCE_LABEL,
  launchLabels,
  MANAGED_LABEL,
  PACK_LAYOUT,
  type SessionLaunch,
} from '../ports/container-runtime';

const MIB = 1024 * 1024;

/** Where on this engine a launch lands: its session network and what that network adds to /etc/hosts. */
export interface DockerPlacement {
  network: string;
  /** `name:address` lines (e.g. the platform's host name → its edge on this network). */
  extraHosts: readonly string[];
  /** The runtime's instance name (installations sharing an engine never see each other's containers). */
  instance: string;
}

/**
 * The GPU binding as the NVIDIA container runtime reads it: the device by UUID (never `Count: 1`, which
 * always yields GPU 0), seen inside as CUDA device 0; `void` on virtual GPUs hides every device.
 */
function gpuBinding(gpu: SessionLaunch['gpu']): Pick<Docker.HostConfig, 'DeviceRequests'> & { env: string[] } {
  return {
    DeviceRequests: gpu.virtual ? [] : [{ Driver: 'nvidia', DeviceIDs: [gpu.uuid], Capabilities: [['gpu']] }],
    env: [`NVIDIA_VISIBLE_DEVICES=${gpu.virtual ? 'void' : gpu.uuid}`, 'CUDA_VISIBLE_DEVICES=0'],
  };
}

/**
 * A session container: uid 1000, every capability dropped, no-new-privileges, a read-only root with
 * bounded memory-backed scratch, the home bind-mounted, sshd published only where the launch says.
 */
export function sessionContainerOptions(
  launch: SessionLaunch,
  placement: DockerPlacement,
): Docker.ContainerCreateOptions {
  const ssh = `${PACK_LAYOUT.sshPort}/tcp`;
  const { DeviceRequests, env: gpuEnv } = gpuBinding(launch.gpu);
  const scratch = `rw,nosuid,nodev,size=${launch.scratchMib}m,mode=1777`;
  return {
    name: launch.name,
    Image: launch.image,
    User: '1000:1000',
    Env: [...Object.entries(launch.env).map(([key, value]) => `${key}=${value}`), ...gpuEnv],
    Labels: { ...launchLabels(launch), [MANAGED_LABEL]: 'true', [INSTANCE_LABEL]: placement.instance },
    ExposedPorts: { [`${PACK_LAYOUT.codeServerPort}/tcp`]: {}, [ssh]: {} },
    HostConfig: {
      NetworkMode: placement.network,
      Binds: [
        `${launch.homePath}:${PACK_LAYOUT.workspace}`,
        ...launch.readOnlyMounts.map((m) => `${m.hostPath}:${m.containerPath}:ro`),
      ],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': scratch, '/var/tmp': scratch },
      PidsLimit: launch.limits.pids,
      ShmSize: launch.limits.shmMib * MIB,
      ...(launch.limits.cpus !== null ? { NanoCpus: Math.round(launch.limits.cpus * 1e9) } : {}),
      // No swap beyond the limit: a session out of memory is stopped by the kernel, not slowed to a crawl.
      ...(launch.limits.memoryMib !== null
        ? { Memory: launch.limits.memoryMib * MIB, MemorySwap: launch.limits.memoryMib * MIB }
        : {}),
      RestartPolicy: { Name: 'no' },
      ExtraHosts: [...placement.extraHosts],
      PortBindings: launch.sshPort ? { [ssh]: [{ HostIp: '0.0.0.0', HostPort: String(launch.sshPort) }] } : {},
      DeviceRequests,
    },
  };
}
