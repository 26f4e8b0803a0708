#!/usr/bin/env bash
# The full test suite (README: `npm test`): makes sure the real services the tests use are installed
# and running, then lint, type-check and every jest project. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Caddy and Chromium: the session routing tests drive real ones.
bash ops/dev/ensure-services.sh mariadb redis docker zfs caddy chromium pack-tools
# The offline dev pack the session tests start (first build about 3 minutes; then a lookup).
bash ops/packs/dev/build.sh >/dev/null

echo "== lint (eslint + prettier)"
npm run --silent lint
echo "== typecheck"
npx lerna run typecheck --loglevel=error
echo "== build (what npm run up runs)"
npm run --silent build >/dev/null
echo "== jest"
mkdir -p artifacts
status=0
npx jest --ci --maxWorkers=2 --json --outputFile=artifacts/jest-results.json "$@" || status=$?
# One plain closing line that any CI reader understands.
node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' \
  "$PWD/artifacts/jest-results.json"
exit "$status"
