import type { HealthReport } from '@medforge/shared-schema';

const PROBE_TIMEOUT_MS = 2_000;

/** The gateway is healthy when every subgraph answers its own /healthz with 200. */
export async function probeSubgraphs(urls: Record<string, string>): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, graphqlUrl]) => [name, await probe(healthUrlOf(graphqlUrl))] as const),
  );
  const checks = Object.fromEntries(entries);
  return { status: entries.every(([, result]) => result === 'ok') ? 'ok' : 'degraded', checks };
}

function healthUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = '/healthz';
  url.search = '';
  return url.toString();
}

async function probe(url: string): Promise<'ok' | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (response.ok) return 'ok';
    const body = (await response.json().catch(() => ({}))) as { checks?: unknown };
    return `degraded (${response.status}): ${JSON.stringify(body.checks ?? {})}`;
  } catch (error) {
    return `unreachable: ${(error as Error).message}`;
  }
}
