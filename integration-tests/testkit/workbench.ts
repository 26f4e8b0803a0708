import { execFile } from 'node:child_process';

import { type DevCaddy, startDevCaddy } from './caddy';
import { applyDevFirewall, dockerHostGateway } from './firewall';
import { devPackImageId } from './pack';
import { startScoringWorker, type WorkerProcess } from './scoring-worker';
import { startTestStack, type TestStack } from './stack';

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A command's outcome, run asynchronously: the platform it talks to runs in this very process, and a
 * synchronous wait would stop it from answering.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { ...options, encoding: 'utf8', timeout: 180_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `args` run in a session's container as its user, with extra environment variables. */
export function runInSession(
  container: string,
  args: string[],
  env: Record<string, string> = {},
  workdir = '/workspace',
): Promise<CommandOutcome> {
  const variables = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  return runCommand('docker', ['exec', '-w', workdir, ...variables, container, ...args]);
}

export interface WorkbenchPlatform {
  stack: TestStack;
  caddy: DevCaddy;
  worker: WorkerProcess;
  /** The console's address, as sessions and readers use it (`http://medforge.localhost:<port>`). */
  publicUrl: string;
  stop(): Promise<void>;
}

/**
 * The platform as development runs it, for what happens inside sessions: real sessions on the dev pack,
 * a Caddy on the host at `port` (also on Docker's host-gateway address, where sessions resolve the
 * platform's name), the development firewall, and a scoring worker on `holdoutsDir`.
 */
export async function startWorkbenchPlatform(
  port: number,
  holdoutsDir: string,
  env: Record<string, string> = {},
): Promise<WorkbenchPlatform> {
  applyDevFirewall();
  const publicUrl = `http://medforge.localhost:${port}`;
  const stack = await startTestStack({
    ...env,
    MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
    SESSION_UPSTREAM_ADDRESSING: 'container-ip',
    SESSION_STOP_GRACE_SECONDS: '1',
    MEDFORGE_PUBLIC_URL: publicUrl,
    SESSION_API_HOST_EXTERNAL: 'host-gateway',
  });
  let caddy: DevCaddy | null = null;
  try {
    caddy = await startDevCaddy(Number(new URL(stack.gateway.url).port), { port, sessionsBind: dockerHostGateway() });
    const worker = await startScoringWorker(stack, holdoutsDir);
    const started = caddy;
    return {
      stack,
      caddy: started,
      worker,
      publicUrl,
      async stop() {
        await worker.stop();
        await started.stop();
        await stack.stop();
      },
    };
  } catch (error) {
    await caddy?.stop();
    await stack.stop();
    throw error;
  }
}
