// Flat ESLint config for every package. Formatting is Prettier's job (eslint-config-prettier).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

module.exports = tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'artifacts/**',
      '.run/**',
      '.tools/**',
      // graphql-codegen output (npm run codegen), checked for drift by npm run lint
      'ui/src/graphql/generated/**',
      '*/src/generated/**',
      'subgraphs/*/src/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // Lets the type-import rule see imports that decorator metadata needs at runtime (type-graphql).
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/test/**/*.ts', 'integration-tests/testkit/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Services, resolvers, routes and the worker depend on ports (src/ports), never on an adapter: the
    // composition roots (app.ts, worker/start-worker.ts) wire those in. dependency-cruiser checks the same
    // rule, with a probe (.dependency-cruiser.js, ops/lint/architecture.sh).
    files: [
      'subgraphs/*/src/services/**/*.ts',
      'subgraphs/*/src/worker/**/*.ts',
      'subgraphs/*/src/schema/**/*.ts',
      'subgraphs/*/src/http/**/*.ts',
    ],
    ignores: ['subgraphs/*/src/worker/start-worker.ts', 'subgraphs/*/src/worker/main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/*'],
              message: 'Import the port (src/ports); the composition root (app.ts) picks the adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    // Benchmarks report on stdout.
    files: ['ops/bench/**/*.js'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
