import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed console operations: every `.graphql` document under src/graphql is checked against the public API
 * (the committed supergraph's API schema plus the gateway's subscriptions, shared-schema/schema/api.graphql)
 * and gets TypeScript types and a typed DocumentNode. `npm run codegen -w @medforge/ui` writes them;
 * `npm run lint` fails when the committed output is stale.
 */
const config: CodegenConfig = {
  schema: '../shared-schema/schema/api.graphql',
  documents: ['src/graphql/**/*.graphql'],
  generates: {
    'src/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
