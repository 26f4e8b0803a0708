// The platform-wide suites: every one uses the real services, so none runs under the unit guard.
module.exports = {
  ...require('../jest.preset.js')(__dirname, 'integration', 'integration'),
  displayName: 'integration',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
