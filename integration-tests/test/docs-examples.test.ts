import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { type InstalledData, installGeneratedData } from '../testkit/data';
import { type DocExample, documentationFiles, examplesIn, RUNNABLE_LANGUAGES } from '../testkit/doc-examples';
import { TEST_DOCS_API_PORT } from '../testkit/firewall';
import { type SessionView, startRunningSession } from '../testkit/flows';
import {
  type CommandOutcome,
  runCommand,
  runInSession,
  startWorkbenchPlatform,
  type WorkbenchPlatform,
} from '../testkit/workbench';

const REPO = path.resolve(__dirname, '..', '..');
const IN_SESSION = 'in a session';
const IN_BACKGROUND = 'in the background while the next examples run';
const NOT_RUN = /^not run \((.{10,})\)$/;
/** *.localhost → loopback for example programs (testkit/localhost-resolver.js says why). */
const LOCALHOST_RESOLVER = path.join(REPO, 'integration-tests', 'testkit', 'localhost-resolver.js');

/** An outcome as a test failure should show it: the output only when it failed. */
const shown = (outcome: CommandOutcome) =>
  outcome.code === 0 ? { code: 0 } : { code: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr };

const where = (example: DocExample) => `${example.file}:${example.line}`;
const examples = documentationFiles(REPO)
  .flatMap((file) => examplesIn(REPO, file))
  .filter((example) => RUNNABLE_LANGUAGES.has(example.language));

describe('documentation examples', () => {
  it('are all runnable, or say why not', () => {
    for (const example of examples) {
      const { directive } = example;
      const known =
        directive === null || directive === IN_SESSION || directive === IN_BACKGROUND || NOT_RUN.test(directive);
      expect({ [where(example)]: known ? 'ok' : directive }).toEqual({ [where(example)]: 'ok' });
    }
    // The guide people follow first is run whole.
    expect(
      examples.filter((e) => e.file === 'docs/integrate.md' && e.directive === null).length,
    ).toBeGreaterThanOrEqual(3);
  });

  describe('run against a running MedForge (Caddy, gateway, subgraphs, scoring worker, a session)', () => {
    let data: InstalledData;
    let platform: WorkbenchPlatform;
    let user: ApiClient;
    let token: string;
    let session: SessionView | null = null;
    const scratch = mkdtempSync(path.join(tmpdir(), 'mf-doc-examples-'));
    // Programs run from inside the repository, so their imports (graphql-ws, ws) resolve as a reader's would.
    const programs = path.join(REPO, 'integration-tests', `.doc-programs-${process.pid}`);

    beforeAll(async () => {
      data = await installGeneratedData();
      platform = await startWorkbenchPlatform(TEST_DOCS_API_PORT, data.holdoutsDir, data.env);
      user = new ApiClient(platform.stack.gateway.url);
      user.origin = platform.publicUrl;
      await user.signUp(uniqueEmail('reader'));
      const created = await user.post('/api/v2/me/tokens', { name: 'docs', scopes: ['read', 'submit'] });
      token = created.body.data.token;
      mkdirSync(programs, { recursive: true });
    }, 240_000);

    afterAll(async () => {
      rmSync(programs, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
      await platform?.stop();
      if (data) rmSync(path.dirname(data.holdoutsDir), { recursive: true, force: true });
    }, 90_000);

    const env = (): NodeJS.ProcessEnv => ({
      PATH: process.env['PATH'],
      HOME: scratch,
      MEDFORGE_URL: platform.publicUrl,
      MEDFORGE_TOKEN: token,
    });

    async function runExampleInSession(example: DocExample): Promise<CommandOutcome> {
      session ??= await startRunningSession(user);
      return await runInSession(`mf-session-${session.slug}`, ['bash', '-euo', 'pipefail', '-c', example.code]);
    }

    /** A program example: written under the name its first line gives (`// watch.mjs: …`), started with node. */
    function startProgram(example: DocExample): { done: Promise<CommandOutcome>; process: ChildProcess } {
      const name = /^\/\/ ([\w.-]+\.m?js)\b/.exec(example.code)?.[1];
      if (!name) throw new Error(`${where(example)}: a program example's first line names its file (// name.mjs: …)`);
      const file = path.join(programs, name);
      writeFileSync(file, example.code);
      const child = spawn(process.execPath, ['--require', LOCALHOST_RESOLVER, file], { env: env(), cwd: programs });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const done = new Promise<CommandOutcome>((resolve) =>
        child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr })),
      );
      return { done, process: child };
    }

    const runnableFiles = [...new Set(examples.filter((e) => !e.directive?.startsWith('not run')).map((e) => e.file))];

    it.each(runnableFiles)(
      '%s',
      async (file) => {
        const cwd = mkdtempSync(path.join(scratch, 'cwd-'));
        const background: Array<{ example: DocExample; done: Promise<CommandOutcome>; process: ChildProcess }> = [];
        try {
          for (const example of examples.filter((e) => e.file === file && !e.directive?.startsWith('not run'))) {
            if (example.language === 'js' || example.language === 'mjs') {
              const started = startProgram(example);
              if (example.directive === IN_BACKGROUND) {
                background.push({ example, ...started });
                await new Promise((resolve) => setTimeout(resolve, 1_500)); // subscribed before what follows
                continue;
              }
              const outcome = await started.done;
              expect({ [where(example)]: shown(outcome) }).toEqual({ [where(example)]: { code: 0 } });
              continue;
            }
            const outcome =
              example.directive === IN_SESSION
                ? await runExampleInSession(example)
                : await runCommand('bash', ['-euo', 'pipefail', '-c', example.code], { cwd, env: env() });
            expect({ [where(example)]: shown(outcome) }).toEqual({ [where(example)]: { code: 0 } });
          }
          for (const { example, done, process: child } of background) {
            const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
            const outcome = await done;
            clearTimeout(timer);
            expect({ [where(example)]: shown(outcome) }).toEqual({ [where(example)]: { code: 0 } });
          }
        } finally {
          for (const { process: child } of background) child.kill('SIGKILL');
        }
      },
      300_000,
    );
  });
});
