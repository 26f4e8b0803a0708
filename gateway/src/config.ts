import { configFragments, loadConfig, SUBGRAPHS, SUPERGRAPH_PATH, z } from '@medforge/shared-schema';

const subgraphUrl = (fallback: string) =>
  z.string().url({ message: 'must be an http(s) URL of the subgraph GraphQL endpoint' }).default(fallback);

const devUrlOf = (name: (typeof SUBGRAPHS)[number]['name']) => SUBGRAPHS.find((s) => s.name === name)!.devUrl;

const originList = z
  .string()
  .default('')
  .transform((value, ctx) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        try {
          return new URL(entry).origin;
        } catch {
          ctx.addIssue({ code: 'custom', message: `${JSON.stringify(entry)} is not an origin URL` });
          return z.NEVER;
        }
      }),
  );

export const gatewayConfigSchema = z.object({
  ...configFragments.runtimeEnv,
  ...configFragments.httpListen,
  ...configFragments.domain,
  ...configFragments.contextSigning,
  ...configFragments.redis,
  GATEWAY_PORT: configFragments.port(4000),
  IDENTITY_URL: subgraphUrl(devUrlOf('identity')),
  SESSION_RUNTIME_URL: subgraphUrl(devUrlOf('session-runtime')),
  COMPETITION_URL: subgraphUrl(devUrlOf('competition')),
  SUPERGRAPH_FILE: z.string().default(SUPERGRAPH_PATH),
  /** Where users reach the console; its scheme and port apply to every MedForge origin. */
  MEDFORGE_PUBLIC_URL: z.string().url().default('http://medforge.localhost:8080'),
  /** More origins allowed to send state-changing requests (comma-separated). */
  MEDFORGE_EXTRA_ORIGINS: originList,
  AUTH_COOKIE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a cookie token (letters, digits, _ or -)' })
    .default('mf_session'),
  /** Cookie domain; it must cover the session hosts s-<slug>.<exposure>.<domain> for forward auth. */
  AUTH_COOKIE_DOMAIN: z.string().optional(),
  /** How long a resolved cookie is trusted without asking identity again (logouts invalidate at once). */
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  /**
   * Addresses whose X-Forwarded-* headers are believed (Express `trust proxy` syntax, comma-separated):
   * the edge Caddy only. `loopback` when Caddy runs on the same host; its fixed address in Compose.
   */
  TRUSTED_PROXIES: z.string().min(1).default('loopback'),
  /**
   * A competition's leaderboard watchers get at most one refresh per this many milliseconds: the first
   * score after a quiet spell is delivered at once, a burst is coalesced into its latest state.
   */
  LEADERBOARD_REFRESH_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  /** Most status updates one subscription may have waiting; a websocket client further behind is dropped. */
  SUBSCRIPTION_MAX_QUEUED: z.coerce.number().int().min(1).max(10_000).default(256),
  /** Upper bound on a cached session route; session events replace it the moment a session changes. */
  SESSION_ROUTE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(15_000),
  /**
   * The GraphQL IDE at GET /graphql: `sandbox` (Apollo Sandbox, loaded from Apollo's CDN), `graphiql`
   * (GraphiQL served from this gateway, works without internet), or `auto` (Sandbox, falling back to
   * GraphiQL in a browser that cannot load it).
   */
  GRAPHQL_IDE: z.enum(['auto', 'sandbox', 'graphiql']).default('auto'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  return loadConfig(gatewayConfigSchema, env);
}

/** Subgraph name (as in the supergraph) to the URL this deployment reaches it at. */
export function subgraphUrls(config: GatewayConfig): Record<string, string> {
  return {
    identity: config.IDENTITY_URL,
    'session-runtime': config.SESSION_RUNTIME_URL,
    competition: config.COMPETITION_URL,
  };
}

/** Origins allowed to make state-changing requests: the console, its exposure and API hosts, extras. */
export function allowedOrigins(config: GatewayConfig): Set<string> {
  const base = new URL(config.MEDFORGE_PUBLIC_URL);
  const port = base.port ? `:${base.port}` : '';
  const hosts = ['', 'external.', 'internal.', 'api.'].map((prefix) => `${prefix}${config.MEDFORGE_DOMAIN}`);
  return new Set([...hosts.map((host) => `${base.protocol}//${host}${port}`), ...config.MEDFORGE_EXTRA_ORIGINS]);
}
