// `npm run test:unit` runs the packages' unit layers, `npm run test:integration` everything that uses real
// services; `npx jest --selectProjects <name>` runs one project (`session-runtime`,
// `session-runtime:integration`, `integration` for the platform-wide suites in integration-tests/).
const path = require('node:path');

const jestProject = require('./jest.preset.js');

module.exports = {
  // Integration tests start real services and databases; allow them time on a 2-core machine.
  testTimeout: 30000,
  projects: [
    '<rootDir>/shared-schema',
    '<rootDir>/subgraphs/*',
    '<rootDir>/gateway',
    '<rootDir>/cli',
    '<rootDir>/ui',
    ...Object.entries(jestProject.PACKAGES).map(([name, dir]) =>
      jestProject(path.join(__dirname, dir), name, 'integration'),
    ),
    '<rootDir>/integration-tests',
  ],
};
