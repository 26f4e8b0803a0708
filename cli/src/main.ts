#!/usr/bin/env node
import 'reflect-metadata';

import { ConfigError } from '@medforge/shared-schema';

import { checkConfig } from './commands/check-config';
import { createAdmin } from './commands/create-admin';
import { datasets, DATASETS_USAGE } from './commands/datasets';
import { gpus } from './commands/gpus';
import { migrate } from './commands/migrate';
import { rescore } from './commands/rescore';
import { sessions, sshConfig } from './commands/sessions';
import { loadCliConfig } from './config';
import { cliToken } from './credentials';
import { runValidation } from './validate/run-validation';
import { CliError, consoleOutput, type Output } from './output';

const USAGE = `medforge <command>

  migrate                          create the databases and apply pending migrations
  create-admin <email> [--password-stdin]
                                   create an administrator, or promote an account (password from
                                   MEDFORGE_ADMIN_PASSWORD, or standard input with --password-stdin;
                                   none: promote an existing account, keeping its password); stores
                                   an API token of it for this CLI in MEDFORGE_TOKEN_FILE
                                   (default ~/.config/medforge/token, readable by you only)
  gpus [list]                      the GPU inventory, with the session and user holding each GPU
  gpus enable|disable <index>      allow or stop new sessions on a GPU
  sessions [list [status]]         every session (through the API)
  sessions stop <session-id>       force-stop a session; its workspace is snapshotted
  ssh-config                       ~/.ssh/config entries for your running sessions (a token with READ
                                   or SESSIONS is enough)
  rescore <submission-id>...       score submissions again
${DATASETS_USAGE}
  check-config                     check every service's settings (production rules with MEDFORGE_ENV=production)
  validate                         check the running deployment gate by gate (auth matrix, spoofing,
                                   routing, websockets, east-west, GPU, workspace, snapshot), with evidence

Settings come from the environment, as for the services (see deploy/compose/.env.example). Commands
that go through the API (sessions, rescore, validate) authenticate with an API token with the ADMIN
scope: MEDFORGE_TOKEN, or the file create-admin writes. Never a password.`;

/** The first line of standard input (asked for explicitly: an open pipe would otherwise be waited on). */
async function readProcessStdin(): Promise<string | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return text.length > 0 ? text : null;
}

export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  readStdin: () => Promise<string | null> = readProcessStdin,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'check-config':
        checkConfig(env, out);
        return 0;
      case 'migrate':
        await migrate(loadCliConfig(env), out);
        return 0;
      case 'create-admin':
        await createAdmin(
          loadCliConfig(env),
          args.find((a) => !a.startsWith('--')),
          env['MEDFORGE_ADMIN_PASSWORD'] || (args.includes('--password-stdin') ? await readStdin() : null),
          out,
        );
        return 0;
      case 'gpus':
        await gpus(loadCliConfig(env), args, out);
        return 0;
      case 'sessions':
        await sessions(loadCliConfig(env), args, out);
        return 0;
      case 'ssh-config':
        await sshConfig(loadCliConfig(env), out);
        return 0;
      case 'datasets':
        return await datasets(env, args, out);
      case 'rescore':
        await rescore(loadCliConfig(env), args, out);
        return 0;
      case 'validate': {
        const config = loadCliConfig(env);
        return await runValidation(
          {
            publicUrl: config.MEDFORGE_PUBLIC_URL,
            connectTo: config.VALIDATE_CONNECT_TO ?? null,
            adminToken: cliToken(config),
            evidenceDir:
              config.VALIDATE_EVIDENCE_DIR ?? `medforge-validation-${new Date().toISOString().replace(/[:.]/g, '-')}`,
            startTimeoutMs: config.VALIDATE_START_TIMEOUT_SECONDS * 1000,
          },
          out,
        );
      }
      case undefined:
      case 'help':
      case '--help':
        out.line(USAGE);
        return command === undefined ? 2 : 0;
      default:
        out.problem(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) {
      out.problem(`medforge ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  run(process.argv.slice(2), process.env, consoleOutput).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Unexpected failures (a database refusing, a network error): the message, and the stack on demand.
      const detail = process.env['MEDFORGE_DEBUG'] ? (error as Error).stack : (error as Error).message;
      consoleOutput.problem(
        `medforge ${process.argv[2] ?? ''}: ${detail ?? String(error)} (MEDFORGE_DEBUG=1 for the stack)`,
      );
      process.exit(1);
    },
  );
}
