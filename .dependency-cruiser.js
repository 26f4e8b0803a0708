// The import rules of the codebase, checked in CI (`npm run lint` runs ops/lint/dependency-rules.sh).
// docs/architecture.md shows the graph they keep in shape.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle means two modules are one: merge them, or move what both need into a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'subgraphs-never-import-each-other',
      severity: 'error',
      comment: 'Subgraphs talk over GraphQL (federation, ServiceClient), never through code.',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'services-use-ports-not-adapters',
      severity: 'error',
      comment:
        'Services, resolvers, HTTP routes and the worker depend on ports (src/ports: the interfaces and the ' +
        'facts every implementation shares), never on an adapter: only composition roots (app.ts, ' +
        'worker/start-worker.ts) and the factories pick implementations. An allow-list: a new adapter is ' +
        'covered without naming it here (ops/lint/architecture.sh probes that this rule fires).',
      from: {
        path: '^subgraphs/[^/]+/src/(services|worker|schema|http)/',
        pathNot: '^subgraphs/[^/]+/src/worker/(start-worker|main)\\.ts$',
      },
      to: { path: '^subgraphs/[^/]+/src/adapters/' },
    },
    {
      name: 'shared-schema-is-the-bottom-layer',
      severity: 'error',
      comment: 'Everything may use shared-schema; it uses none of them.',
      from: { path: '^shared-schema/' },
      to: { path: '^(subgraphs|gateway|cli|ui|integration-tests)/' },
    },
    {
      name: 'servers-never-import-the-gateway-cli-or-tests',
      severity: 'error',
      from: { path: '^(subgraphs|gateway)/[^/]+' },
      to: { path: '^(cli|ui|integration-tests)/' },
    },
    {
      name: 'gateway-never-imports-subgraph-code',
      severity: 'error',
      comment: 'The gateway reaches subgraphs over HTTP only (supergraph, ServiceClient).',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'console-never-imports-server-code',
      severity: 'error',
      comment: 'The console is a browser bundle: it knows the API through GraphQL, not through server modules.',
      from: { path: '^ui/' },
      to: { path: '^(shared-schema|subgraphs|gateway|cli|integration-tests)/' },
    },
    {
      name: 'source-never-imports-tests',
      severity: 'error',
      from: { path: '/src/' },
      to: { path: '(^|/)(test|testkit)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Workspace packages are symlinks in node_modules: follow them to their sources.
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.vue', '.json'],
    },
    reporterOptions: {
      dot: {
        collapsePattern: '^(shared-schema|gateway|cli|ui|integration-tests|subgraphs/[^/]+)/(src|test|testkit)/[^/]+',
      },
    },
  },
};
