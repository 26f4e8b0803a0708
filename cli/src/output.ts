/** Where a command writes: lines for the operator, and problems. Tests pass their own. */
export interface Output {
  line(text: string): void;
  problem(text: string): void;
}

export const consoleOutput: Output = {
  line: (text) => process.stdout.write(`${text}\n`),
  problem: (text) => process.stderr.write(`${text}\n`),
};

/** A refusal the operator can act on: printed without a stack trace, exit code 1. */
export class CliError extends Error {}

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}
