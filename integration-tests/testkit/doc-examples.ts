import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The languages of examples that are commands or programs (run by docs-examples.test.ts). */
export const RUNNABLE_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'js', 'mjs']);

export interface DocExample {
  /** Repository-relative path and 1-based line of the opening fence. */
  file: string;
  line: number;
  language: string;
  code: string;
  /**
   * What the `<!-- example: … -->` comment just above the block says: `not run (reason)`, `in a session`,
   * `in the background while the next examples run`; null for an ordinary example.
   */
  directive: string | null;
}

/** README.md and every Markdown file under docs/. */
export function documentationFiles(repo: string): string[] {
  const found = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(repo, dir)).sort()) {
      const relative = path.join(dir, name);
      if (statSync(path.join(repo, relative)).isDirectory()) walk(relative);
      else if (name.endsWith('.md')) found.push(relative);
    }
  };
  walk('docs');
  return found;
}

/** The fenced code blocks of a Markdown file (indented ones inside lists too), with their directives. */
export function examplesIn(repo: string, file: string): DocExample[] {
  const lines = readFileSync(path.join(repo, file), 'utf8').split('\n');
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, language] = open as unknown as [string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent.length));
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const comment = k >= 0 ? /^\s*<!-- example: (.+?) -->\s*$/.exec(lines[k]!) : null;
    examples.push({ file, line: i + 1, language, code: `${body.join('\n')}\n`, directive: comment?.[1] ?? null });
    i = j;
  }
  return examples;
}
