import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const COPY_TIMEOUT_MS = 60 * 60_000;

/**
 * Empties `target` (dotfiles too, the folder itself stays: it is a mount point) and copies everything
 * under `source` into it with owners, modes and times (`cp -a`, reflinks where the filesystem has them).
 */
export async function replaceDirectoryContents(target: string, source: string): Promise<void> {
  for (const entry of await readdir(target)) {
    await rm(path.join(target, entry), { recursive: true, force: true });
  }
  await execFileAsync('cp', ['-a', '--reflink=auto', `${source}/.`, `${target}/`], { timeout: COPY_TIMEOUT_MS });
}
