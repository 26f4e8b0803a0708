import type { CliConfig } from './config';
import { cliToken } from './credentials';
import { EdgeClient, EdgeUser } from './edge-client';
import { CliError } from './output';

interface Problem {
  title?: string;
  detail?: string;
}

/**
 * The /api/v2 contract as an administrator: for what needs the running platform (stopping a session
 * snapshots its workspace; rescoring queues a job), the CLI goes through the same API as the console,
 * with its API token (MEDFORGE_TOKEN or the token file; see credentials.ts).
 */
export class AdminApi {
  private readonly user: EdgeUser;

  constructor(private readonly config: CliConfig) {
    const api = new URL(config.MEDFORGE_API_URL);
    const edge = new EdgeClient(config.MEDFORGE_API_URL, null);
    this.user = new EdgeUser(
      edge,
      edge.hostFor(api.hostname),
      new URL(config.MEDFORGE_PUBLIC_URL).origin,
      cliToken(config),
    );
  }

  async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ data: T; meta?: unknown }> {
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
