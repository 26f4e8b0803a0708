import type { CliConfig } from './config';
import { EdgeClient, EdgeUser } from './edge-client';
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
  private readonly user: EdgeUser;

  constructor(private readonly config: CliConfig) {
    const api = new URL(config.MEDFORGE_API_URL);
    const edge = new EdgeClient(config.MEDFORGE_API_URL, null);
    this.user = new EdgeUser(edge, edge.hostFor(api.hostname), new URL(config.MEDFORGE_PUBLIC_URL).origin);
  }

  async signIn(): Promise<void> {
    const { MEDFORGE_ADMIN_EMAIL: email, MEDFORGE_ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) {
      throw new CliError('set MEDFORGE_ADMIN_EMAIL and MEDFORGE_ADMIN_PASSWORD to an administrator account');
    }
    await this.request('POST', '/api/v2/auth/login', { email, password });
    if (!this.user.cookie) throw new CliError('the API accepted the login but set no session cookie');
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ data: T; meta?: unknown }> {
    let response: { status: number; body: unknown };
    try {
      response = await this.user.call(method, path, body);
    } catch (error) {
      throw new CliError(`cannot reach the API at ${this.config.MEDFORGE_API_URL}: ${(error as Error).message}`);
    }
    if (response.status < 200 || response.status > 299) {
      const problem = (typeof response.body === 'object' ? response.body : {}) as Problem;
      const detail = problem.detail ?? problem.title ?? String(response.body);
      throw new CliError(`${method} ${path}: ${response.status} ${detail}`);
    }
    return response.body as { data: T; meta?: unknown };
  }
}
