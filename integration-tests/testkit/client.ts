import { randomBytes, randomInt } from 'node:crypto';

export const ALLOWED_ORIGIN = 'http://medforge.localhost:8080';
/** The password test users sign up with. */
export const DEFAULT_PASSWORD = 'correct horse battery';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * A browser-like client of the gateway: keeps the login cookie it is given, sends an allowed Origin,
 * and appears (through X-Forwarded-For, as Caddy would send it) to come from its own address, so rate
 * limits of different tests do not mix.
 */
export class ApiClient {
  cookie: string | null = null;
  origin: string | null = ALLOWED_ORIGIN;
  // A fresh documentation-range IPv6 address per client: rate-limit windows in Redis outlive test runs.
  readonly ip = `2001:db8:${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}::1`;

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip, ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers['cookie'] = this.cookie;
    if (this.origin) headers['origin'] = this.origin;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = pair!.endsWith('=') ? null : pair!;
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown) {
    return this.request('POST', path, body ?? {});
  }

  graphql(query: string, variables: Record<string, unknown> = {}) {
    return this.request('POST', '/graphql', { query, variables });
  }

  async signUp(email: string, password = DEFAULT_PASSWORD): Promise<string> {
    const response = await this.post('/api/v2/auth/signup', { email, password });
    if (response.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(response.body)}`);
    return response.body.data.user.id as string;
  }
}

export function uniqueEmail(label: string): string {
  return `${label.toLowerCase()}-${Date.now().toString(36)}-${randomInt(1e9).toString(36)}@example.org`;
}
