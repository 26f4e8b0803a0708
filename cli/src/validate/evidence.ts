import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** One file per gate under the evidence folder: what was asked, and what came back. */
export class Evidence {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  record(gate: string, what: string, detail: unknown): void {
    const text = typeof detail === 'string' ? detail : JSON.stringify(detail, null, 2);
    appendFileSync(this.fileOf(gate), `## ${what}\n${text}\n\n`);
  }

  fileOf(gate: string): string {
    return path.join(this.dir, `${gate}.txt`);
  }
}
