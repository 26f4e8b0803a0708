// Shared jest settings: one project per package, TypeScript through ts-jest, and workspace packages
// resolved to their sources so tests never need a build first.
const path = require('node:path');

const root = __dirname;
const workspaceSources = {
  '^@medforge/shared-schema$': 'shared-schema/src',
  '^@medforge/shared-schema/testing$': 'shared-schema/src/testing',
  '^@medforge/identity$': 'subgraphs/identity/src',
  '^@medforge/session-runtime$': 'subgraphs/session-runtime/src',
  '^@medforge/competition$': 'subgraphs/competition/src',
  '^@medforge/gateway$': 'gateway/src',
  '^@medforge/cli$': 'cli/src',
};

module.exports = function jestProject(packageDir, displayName) {
  return {
    displayName,
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    transform: {
      // Transpile only: type errors are tsc's job (npm run typecheck), and node16 module mode needs it.
      '^.+\\.ts$': [
        'ts-jest',
        { tsconfig: path.join(packageDir, 'tsconfig.json'), diagnostics: false, isolatedModules: true },
      ],
    },
    moduleNameMapper: Object.fromEntries(
      Object.entries(workspaceSources).map(([pattern, dir]) => [pattern, path.join(root, dir)]),
    ),
  };
};
