import { type z } from 'zod';

/** Thrown when the environment does not satisfy a service's config schema; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid MedForge configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The one place environment variables are read. Each service passes its own zod object whose keys are
 * the environment variable names; the result is typed and frozen. Every missing or malformed variable
 * is reported in a single error so an operator fixes them in one pass.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<S>> {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const raw = env[key];
    picked[key] = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(root)';
        const value = picked[String(issue.path[0])];
        return value === undefined
          ? `${name} is missing: ${issue.message}`
          : `${name}=${JSON.stringify(isSecretName(name) ? '***' : value)} is invalid: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(result.data);
}

function isSecretName(name: string): boolean {
  return /SECRET|PASSWORD|TOKEN/.test(name);
}
