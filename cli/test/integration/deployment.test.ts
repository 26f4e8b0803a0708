import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { validate, ValidationSeverity } from 'dockerfile-utils';
import { parse } from 'yaml';

const REPO = path.resolve(__dirname, '..', '..', '..');
const COMPOSE = path.join(REPO, 'deploy', 'compose', 'docker-compose.yml');
const EXAMPLE = readFileSync(path.join(REPO, 'deploy', 'compose', '.env.example'), 'utf8');
const PIN = /@sha256:[0-9a-f]{64}$/;

/** .env.example with its blanks filled the way an operator would (digests written by pin-images.sh). */
function filledEnv(overrides: Record<string, string | null> = {}): string {
  const lines = EXAMPLE.split('\n').map((line) => {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (!match) return line;
    const [, key, value] = match as unknown as [string, string, string];
    if (key in overrides) return overrides[key] === null ? '' : `${key}=${overrides[key]}`;
    if (value.endsWith('@sha256:<digest>')) return `${key}=${value.replace('<digest>', 'ab'.repeat(32))}`;
    return value === '' ? `${key}=filled-${key.toLowerCase()}-0123456789abcdef0123456789abcdef` : line;
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mf-compose-')), '.env');
  writeFileSync(file, lines.join('\n'));
  return file;
}

function composeConfig(envFile: string) {
  return spawnSync('docker-compose', ['--env-file', envFile, '-f', COMPOSE, 'config'], { encoding: 'utf8' });
}

interface Service {
  image?: string;
  build?: { args?: Record<string, string>; dockerfile: string };
  healthcheck?: unknown;
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  volumes?: Array<string | { source: string; target: string; read_only?: boolean }>;
  devices?: string[];
  cap_add?: string[];
  ports?: unknown[];
  networks?: Record<string, { ipv4_address?: string } | null>;
  environment?: Record<string, string>;
}

describe('deploy/compose', () => {
  let services: Record<string, Service>;

  beforeAll(() => {
    const result = composeConfig(filledEnv());
    if (result.status !== 0) throw new Error(`docker-compose config failed: ${result.stderr}`);
    services = (parse(result.stdout) as { services: Record<string, Service> }).services;
  });

  /** Compose v1 prints the short form (`source:target:mode`), v2 the long one: read both. */
  const mounts = (service: Service) =>
    (service.volumes ?? []).map((v) => {
      if (typeof v !== 'string') return v;
      const [source, target, mode] = v.split(':') as [string, string, string | undefined];
      return { source, target, read_only: mode === 'ro' };
    });
  const sources = (service: Service) => mounts(service).map((m) => m.source);

  it('validates, with every service the platform needs', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'medforge-caddy',
        'medforge-competition',
        'medforge-gateway',
        'medforge-identity',
        'medforge-mariadb',
        'medforge-migrate',
        'medforge-redis',
        'medforge-scoring-worker',
        'medforge-session-runtime',
        'medforge-ui',
      ].sort(),
    );
  });

  it('pins every base image by digest and never uses latest', () => {
    for (const [name, service] of Object.entries(services)) {
      const pinned = service.build ? Object.values(service.build.args ?? {}) : [service.image!];
      expect({ name, pinned: pinned.every((ref) => PIN.test(ref) && !/:latest@/.test(ref)) }).toEqual({
        name,
        pinned: true,
      });
      if (service.build) expect(service.image).not.toMatch(/:latest$/);
    }
  });

  it('refuses to render while a required value is missing, naming it', () => {
    const result = composeConfig(filledEnv({ DB_PASSWORD: null }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set DB_PASSWORD');
  });

  it('health-checks every long-running service and starts each after what it needs is healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'medforge-migrate') continue;
      expect({ name, health: service.healthcheck !== undefined || name === 'medforge-scoring-worker' }).toEqual({
        name,
        health: true,
      });
    }
    expect(services['medforge-migrate']!.restart).toBe('no');
    expect(services['medforge-migrate']!.depends_on).toEqual({ 'medforge-mariadb': { condition: 'service_healthy' } });
    for (const name of [
      'medforge-identity',
      'medforge-session-runtime',
      'medforge-competition',
      'medforge-scoring-worker',
    ])
      expect(services[name]!.depends_on!['medforge-migrate']).toEqual({ condition: 'service_completed_successfully' });
    expect(services['medforge-gateway']!.depends_on!['medforge-session-runtime']!.condition).toBe('service_healthy');
    expect(services['medforge-caddy']!.depends_on!['medforge-gateway']!.condition).toBe('service_healthy');
  });

  it('gives Caddy and session-runtime their fixed addresses on the sessions networks, and trusts only Caddy', () => {
    expect(services['medforge-caddy']!.networks).toMatchObject({
      'medforge-external-sessions': { ipv4_address: '172.30.0.2' },
      'medforge-internal-sessions': { ipv4_address: '172.31.0.2' },
      'medforge-control': { ipv4_address: '172.29.0.2' },
    });
    expect(services['medforge-session-runtime']!.networks).toMatchObject({
      'medforge-external-sessions': { ipv4_address: '172.30.0.3' },
      'medforge-internal-sessions': { ipv4_address: '172.31.0.3' },
    });
    expect(services['medforge-gateway']!.environment!['TRUSTED_PROXIES']).toBe('172.29.0.2');
    // Only the edge publishes ports.
    expect(
      Object.entries(services)
        .filter(([, s]) => s.ports)
        .map(([name]) => name),
    ).toEqual(['medforge-caddy']);
  });

  it('grants the Docker socket, ZFS and the holdout labels only where needed', () => {
    const holders = (predicate: (service: Service) => boolean) =>
      Object.entries(services)
        .filter(([, service]) => predicate(service))
        .map(([name]) => name);
    expect(holders((s) => sources(s).includes('/var/run/docker.sock'))).toEqual(['medforge-session-runtime']);
    expect(holders((s) => (s.devices ?? []).some((d) => d.startsWith('/dev/zfs')))).toEqual([
      'medforge-session-runtime',
    ]);
    expect(holders((s) => (s.cap_add ?? []).length > 0)).toEqual(['medforge-session-runtime']);
    const holdouts = (s: Service) => mounts(s).find((m) => m.target === '/var/lib/medforge/holdouts');
    expect(holders((s) => holdouts(s) !== undefined)).toEqual(['medforge-scoring-worker']);
    expect(holdouts(services['medforge-scoring-worker']!)!.read_only).toBe(true);
  });

  it('documents in .env.example every variable the compose file reads', () => {
    const compose = readFileSync(COMPOSE, 'utf8');
    const used = new Set([...compose.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!));
    const documented = new Set([...EXAMPLE.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!));
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe('Dockerfiles', () => {
  const dockerfiles = [
    ...readdirSync(path.join(REPO, 'deploy', 'docker'))
      .filter((f) => f === 'Dockerfile' || f.endsWith('.Dockerfile'))
      .map((f) => path.join('deploy', 'docker', f)),
    'deploy/packs/default/Dockerfile',
  ];

  // Their bases come from registries this machine cannot reach: they are linted here, not built
  // (the dev pack, whose base is built here with debootstrap, is built by every test run).
  it.each(dockerfiles)('%s lints clean and takes its bases only as digest-pinned build arguments', (file) => {
    const text = readFileSync(path.join(REPO, file), 'utf8');
    const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR);
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
    const froms = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    expect(froms.length).toBeGreaterThan(0);
    const stages = new Set([...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!));
    for (const from of froms) expect(stages.has(from) || /^\$\{[A-Z_]+\}$/.test(from)).toBe(true);
    // No default for a base argument: the digest must come from the operator's pinned settings.
    for (const arg of froms.filter((f) => f.startsWith('${')).map((f) => f.slice(2, -1)))
      expect(text).toMatch(new RegExp(`^ARG ${arg}$`, 'm'));
    expect(text).not.toMatch(/:latest\b/);
  });
});

describe('ops/versions.env', () => {
  const versions = Object.fromEntries(
    readFileSync(path.join(REPO, 'ops', 'versions.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('is the one code-server version: the production pack defaults to it', () => {
    expect(versions['CODE_SERVER_VERSION']).toMatch(/^\d+\.\d+\.\d+$/);
    const pack = readFileSync(path.join(REPO, 'deploy', 'packs', 'default', 'Dockerfile'), 'utf8');
    expect(pack).toContain(`\nARG CODE_SERVER_VERSION=${versions['CODE_SERVER_VERSION']}\n`);
  });

  it('pins a Node.js 24 with an integrity per architecture, and the docs name the same major', () => {
    expect(versions['NODE_VERSION']).toMatch(/^24\.\d+\.\d+$/);
    for (const arch of ['X64', 'ARM64'])
      expect(versions[`NODE_INTEGRITY_${arch}`]).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    const example = readFileSync(path.join(REPO, 'deploy', 'compose', '.env.example'), 'utf8');
    expect(example).toContain(`NODE_IMAGE=docker.io/library/node:${versions['NODE_VERSION']}-bookworm-slim@sha256:`);
  });
});
