// Vue single-file components through vue3-jest, TypeScript through ts-jest, in jsdom.
const path = require('node:path');

module.exports = {
  displayName: 'ui',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  // jsdom has <dialog> but not its modal methods: test/setup/dialog.ts gives it the platform's behaviour.
  setupFiles: ['<rootDir>/test/setup/dialog.ts'],
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json', 'vue'],
  // vue3-jest reads its options from here; its TypeScript path transpiles typed SFC templates.
  globals: { 'vue-jest': { tsConfig: path.join(__dirname, 'tsconfig.jest.json') } },
  transform: {
    '^.+\\.vue$': '@vue/vue3-jest',
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json'), diagnostics: false }],
    // @vueuse and @tanstack ship ES modules only: Babel turns them into CommonJS for jest.
    '^.+\\.js$': ['babel-jest', { presets: [['@babel/preset-env', { targets: { node: 'current' } }]] }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@vueuse|@tanstack)/)'],
  // The browser build of csv-stringify is an ES module; in jest the same function comes from its CommonJS build.
  moduleNameMapper: { '^csv-stringify/browser/esm/sync$': 'csv-stringify/sync' },
};
