import type { CliConfig } from './config';
import { CliError } from './output';

interface Problem {
  title?: string;
  detail?: string;
}

/**
 * The /api/v2 contract as an administrator: for what needs the running platform (stopping a session
 * snapshots its workspace; rescoring queues a job), the CLI goes through the same API as the console.
 * Signs in with MEDFORGE_ADMIN_EMAIL / MEDFORGE_ADMIN_PASSWORD and sends the console's Origin.
 */
export class AdminApi {
  private cookie: string | null = null;
  private readonly origin: string;

  constructor(private readonly config: CliConfig) {
    this.origin = new URL(config.MEDFORGE_PUBLIC_URL).origin;
  }

  async signIn(): Promise<void> {
    const { MEDFORGE_ADMIN_EMAIL: email, MEDFORGE_ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) {
      throw new CliError('set MEDFORGE_ADMIN_EMAIL and MEDFORGE_ADMIN_PASSWORD to an administrator account');
    }
    await this.request('POST', '/api/v2/auth/login', { email, password });
    if (!this.cookie) throw new CliError('the API accepted the login but set no session cookie');
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ data: T; meta?: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json', origin: this.origin };
    if (this.cookie) headers['cookie'] = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, this.config.MEDFORGE_API_URL), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new CliError(`cannot reach the API at ${this.config.MEDFORGE_API_URL}: ${(error as Error).message}`);
    }
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : {};
    if (!response.ok) {
      const problem = parsed as Problem;
      throw new CliError(`${method} ${path}: ${response.status} ${problem.detail ?? problem.title ?? text}`);
    }
    return parsed as { data: T; meta?: unknown };
  }
}
