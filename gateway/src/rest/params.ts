import { DomainError } from '@medforge/shared-schema';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function slugParam(value: unknown, name = 'slug'): string {
  if (typeof value !== 'string' || !SLUG.test(value)) {
    throw new DomainError('BAD_USER_INPUT', `${name} must be 1-64 lowercase letters, digits or dashes`);
  }
  return value;
}

/** Parses an optional integer query parameter within bounds, naming the parameter when it is wrong. */
export function intQuery(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value)) {
    throw new DomainError('BAD_USER_INPUT', `${name} must be an integer`);
  }
  const parsed = Number(value);
  if (parsed < min || parsed > max) {
    throw new DomainError('BAD_USER_INPUT', `${name} must be between ${min} and ${max}`);
  }
  return parsed;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uuidParam(value: unknown, name = 'id'): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new DomainError('BAD_USER_INPUT', `${name} must be a UUID`);
  }
  return value;
}

/** The JSON object body of a request; anything else (missing, array, wrong content type) is refused. */
export function jsonBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError('BAD_USER_INPUT', 'Request body must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new DomainError('BAD_USER_INPUT', `${name} must be a string`, { field: name });
  return value;
}

export function optionalStringField(body: Record<string, unknown>, name: string): string | null {
  return body[name] === undefined || body[name] === null ? null : stringField(body, name);
}

export function booleanField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (typeof value !== 'boolean')
    throw new DomainError('BAD_USER_INPUT', `${name} must be true or false`, { field: name });
  return value;
}
