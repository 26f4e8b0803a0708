// `npm run test:jest` runs every package's tests; `npx jest --selectProjects <name>` runs one.
module.exports = {
  // Tests start real services and databases; allow them time on a 2-core machine.
  testTimeout: 30000,
  projects: [
    '<rootDir>/shared-schema',
    '<rootDir>/subgraphs/*',
    '<rootDir>/gateway',
    '<rootDir>/cli',
    '<rootDir>/ui',
    '<rootDir>/integration-tests',
  ],
};
