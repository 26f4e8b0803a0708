// Shared jest settings: two projects per package, TypeScript through ts-jest, and workspace packages
// resolved to their sources so tests never need a build first. `<name>` is the package's unit layer
// (test/, no infrastructure: jest.unit-guard.js refuses it); `<name>:integration` its tests against real
// services (test/integration/: MariaDB, Redis, Docker, zfs-fuse).
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

/** The jest project of a package's tests of one layer: 'unit' (the default) or 'integration'. */
function jestProject(packageDir, displayName, layer = 'unit') {
  const integration = layer === 'integration';
  return {
    displayName: integration ? `${displayName}:integration` : displayName,
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: integration ? ['<rootDir>/test/integration/**/*.test.ts'] : ['<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: integration ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/integration/'],
    setupFiles: ['reflect-metadata'],
    setupFilesAfterEnv: integration ? [] : [path.join(root, 'jest.unit-guard.js')],
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
}

module.exports = jestProject;
/** Packages whose tests have both layers, for the root jest.config.js. */
module.exports.PACKAGES = {
  'shared-schema': 'shared-schema',
  identity: 'subgraphs/identity',
  'session-runtime': 'subgraphs/session-runtime',
  competition: 'subgraphs/competition',
  gateway: 'gateway',
  cli: 'cli',
};
