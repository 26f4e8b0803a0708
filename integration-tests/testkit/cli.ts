import { type Output, run } from '@medforge/cli';

/**
 * Runs the CLI in-process with `env`, collecting what it prints: stdout and stderr apart, and `output`
 * with both in the order written. Standard input, when asked for, is `stdin`.
 */
export async function medforge(argv: string[], env: NodeJS.ProcessEnv, stdin: string | null = null) {
  const lines: string[] = [];
  const problems: string[] = [];
  const all: string[] = [];
  const out: Output = {
    line: (text) => void (lines.push(text), all.push(text)),
    problem: (text) => void (problems.push(text), all.push(text)),
  };
  const code = await run(argv, env, out, () => Promise.resolve(stdin));
  return { code, stdout: lines.join('\n'), stderr: problems.join('\n'), output: all.join('\n') };
}
