import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'cookie',
  'authorization',
  'body',
  'rawBody',
];
/** Each secret key at the top level and up to three levels down. */
export const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  ...['*', '*.*', '*.*.*'].map((prefix) => `${prefix}["set-cookie"]`),
];

/** JSON logs to stdout; every line carries the service name so merged logs stay attributable. */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Secrets never reach a log line, wherever a caller nests them (a GraphQL input, request headers, an
    // error that carries the request body).
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
