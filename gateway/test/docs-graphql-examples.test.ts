import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema, parse, validate } from 'graphql';

const DOCS = path.resolve(__dirname, '..', '..', 'docs');
const API_SCHEMA = path.resolve(__dirname, '..', '..', 'shared-schema', 'schema', 'api.graphql');

/** Every ```graphql block of docs/*.md, with where it is. */
function examples(): Array<{ where: string; source: string }> {
  const found: Array<{ where: string; source: string }> = [];
  for (const file of readdirSync(DOCS).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(path.join(DOCS, file), 'utf8');
    for (const match of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ where: `docs/${file}:${line}`, source: match[1]! });
    }
  }
  return found;
}

describe('GraphQL examples in docs/', () => {
  const schema = buildSchema(readFileSync(API_SCHEMA, 'utf8'));

  it('are operations the public API accepts', () => {
    const all = examples();
    expect(all.length).toBeGreaterThan(0);
    const problems = all.flatMap(({ where, source }) =>
      validate(schema, parse(source)).map((error) => `${where}: ${error.message}`),
    );
    expect(problems).toEqual([]);
  });
});
