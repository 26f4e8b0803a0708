import path from 'node:path';

import { type NextFunction, type Request, type Response, Router } from 'express';

import { sendProblem } from '../rest/respond';

export type GraphqlIdeMode = 'auto' | 'sandbox' | 'graphiql';

export const GRAPHIQL_PATH = '/graphql/ide/';

/** A file inside an installed package (their export maps do not list the UMD builds). */
function packageFile(name: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
}

/** GraphiQL and React as their npm packages ship them (UMD builds): no CDN, no build step. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

/** Same-origin fetches carry the login cookie and the Origin header mutations need. `?query=` links. */
const START_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
const defaultQuery = new URLSearchParams(location.search).get('query') ?? undefined;
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
`;

const GRAPHIQL_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MedForge GraphQL — GraphiQL</title>
<link rel="stylesheet" href="assets/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="assets/react.js"></script>
<script src="assets/react-dom.js"></script>
<script src="assets/graphiql.js"></script>
<script src="assets/start.js"></script>
</body>
</html>
`;

const SANDBOX_SCRIPT =
  'https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js';

/**
 * Apollo Sandbox where the browser can reach Apollo's CDN; GraphiQL from this gateway where it cannot
 * (hospital networks often have no internet): the script's load error, or no answer in 8 s, switches.
 */
const AUTO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MedForge GraphQL</title>
<style>html, body, #sandbox { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="sandbox"></div>
<script>
  function offline() { location.replace(${JSON.stringify(GRAPHIQL_PATH)}); }
  var fallback = setTimeout(offline, 8000);
  function online() {
    clearTimeout(fallback);
    new window.EmbeddedSandbox({ target: '#sandbox', initialEndpoint: location.origin + '/graphql', includeCookies: true });
  }
</script>
<script src="${SANDBOX_SCRIPT}" onload="online()" onerror="offline()"></script>
</body>
</html>
`;

/**
 * The GraphQL IDE pages. `mayExplore` decides who sees them (the same rule as introspection): others get
 * the caller's problem answer.
 */
export function graphqlIdeRoutes(mode: GraphqlIdeMode, refuseUnlessExplorer: (res: Response) => boolean): Router {
  const router = Router();
  const guard = (_req: Request, res: Response, next: NextFunction) => {
    if (!refuseUnlessExplorer(res)) next();
  };
  router.get(GRAPHIQL_PATH, guard, (_req, res) => {
    res.type('html').send(GRAPHIQL_PAGE);
  });
  router.get(`${GRAPHIQL_PATH}assets/start.js`, guard, (_req, res) => {
    res.type('text/javascript').send(START_SCRIPT);
  });
  router.get(`${GRAPHIQL_PATH}assets/:name`, guard, (req, res) => {
    const name = req.params['name'];
    // Only these files, by name: nothing else on disk is reachable from here.
    const asset = typeof name === 'string' && Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return sendProblem(res, 'NOT_FOUND', 'No such GraphiQL asset');
    res.type(asset.type).sendFile(asset.file, { maxAge: '1d' });
  });
  // GET /graphql from a browser: the chosen IDE, for those who may explore (`sandbox` is Apollo's landing
  // page, served by Apollo next).
  router.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    if (refuseUnlessExplorer(res)) return;
    if (mode === 'sandbox') return next();
    if (mode === 'graphiql') return res.redirect(302, GRAPHIQL_PATH);
    res.type('html').send(AUTO_PAGE);
  });
  return router;
}
