import { ConfigError } from './config';

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Process entry point for every MedForge service: start it, stop it cleanly on SIGTERM/SIGINT, and exit
 * non-zero with a readable message when it cannot start (a config error names every bad variable).
 */
export function runService(name: string, start: () => Promise<Stoppable>): void {
  start().then(
    (service) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${name}: ${signal} received, shutting down\n`);
        service.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`${name}: shutdown failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (error: unknown) => {
      const message = error instanceof ConfigError ? error.message : ((error as Error)?.stack ?? String(error));
      process.stderr.write(`${name}: failed to start\n${message}\n`);
      process.exit(1);
    },
  );
}
