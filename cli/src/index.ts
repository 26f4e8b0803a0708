// The CLI as a library: what the integration tests run in-process.
export { run } from './main';
export { loadCliConfig } from './config';
export type { Output } from './output';
