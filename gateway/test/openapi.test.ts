import { readFileSync } from 'node:fs';
import path from 'node:path';

import { createLogger } from '@medforge/shared-schema';
import type { Router } from 'express';

import type { SubgraphFileProxy } from '../src/rest/file-proxy';
import type { OperationRunner } from '../src/rest/operation-runner';
import { restRouter } from '../src/rest/rest-router';

const OPENAPI = path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json');

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every METHOD /path the REST shim serves, read off its Express routers. */
function routesOf(router: Router): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          found.push(`${method.toUpperCase()} /api/v2${layer.route.path.replace(/:([a-z]+)/gi, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return found.sort();
}

describe('docs/api/openapi.json', () => {
  const document = JSON.parse(readFileSync(OPENAPI, 'utf8')) as {
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>>;
  };
  const documented = Object.entries(document.paths)
    .flatMap(([p, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${p}`))
    .sort();

  it('describes exactly the routes the gateway serves', () => {
    const served = [
      ...routesOf(restRouter({} as OperationRunner, {} as SubgraphFileProxy, createLogger('test', 'silent'))),
      // Answered ahead of Express (plain node:http), and the gateway's own health check.
      'GET /api/v2/auth/session-proxy',
      'GET /healthz',
    ].sort();
    expect(documented).toEqual(served);
  });

  it('is OpenAPI 3.1 with an operation id and a problem+json answer for errors on every operation', () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    for (const [p, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect({ [`${method} ${p}`]: typeof operation.operationId }).toEqual({ [`${method} ${p}`]: 'string' });
        const errors = Object.keys(operation.responses).filter(
          (status) => /^[45]/.test(status) || status === 'default',
        );
        expect({ [`${method} ${p}`]: errors.length > 0 }).toEqual({ [`${method} ${p}`]: true });
      }
    }
  });
});
