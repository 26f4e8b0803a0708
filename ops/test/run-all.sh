#!/usr/bin/env bash
# The full test suite (README: `npm test`): makes sure the real services the tests use are installed
# and running, then lint, type-check and every jest project. Exits non-zero on the first failure.
source "$(dirname "${BASH_SOURCE[0]}")/../dev/lib.sh"
cd "$MEDFORGE_ROOT"

# Caddy and Chromium: the session routing tests drive real ones.
bash ops/dev/ensure-services.sh mariadb redis docker zfs caddy chromium compose pack-tools
# Everything below runs on the pinned Node.js (ops/versions.env), whatever the system's is.
use_pinned_node
echo "== Node.js $(node --version)"
# The offline dev pack the session tests start, built and checked once for every test file (first build
# about 4 minutes; then a lookup and the check).
MEDFORGE_DEV_PACK_IMAGE="$(bash ops/packs/dev/build.sh)"
export MEDFORGE_DEV_PACK_IMAGE

echo "== lint (eslint + prettier)"
npm run --silent lint
echo "== typecheck"
npx lerna run typecheck --loglevel=error
echo "== build (what npm run up runs)"
npm run --silent build >/dev/null
echo "== jest"
# Session containers and instance claims that test installations left behind (a killed run); a real
# installation's are untouched.
remove_test_containers() {
  docker ps -a --filter label=dev.medforge.managed=true --format '{{.ID}} {{.Label "dev.medforge.instance"}}' |
    awk '$2 ~ /^(mf_t_|test-)/ { print $1 }' | xargs -r docker rm -f >/dev/null
  docker volume ls --filter label=dev.medforge.managed=true --format '{{.Name}} {{.Label "dev.medforge.instance"}}' |
    awk '$2 ~ /^(mf_t_|test-)/ { print $1 }' | xargs -r docker volume rm -f >/dev/null
}
remove_test_containers
mkdir -p artifacts
status=0
npx jest --ci --maxWorkers=2 --json --outputFile=artifacts/jest-results.json "$@" || status=$?
remove_test_containers
# One plain closing line that any CI reader understands.
node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' \
  "$PWD/artifacts/jest-results.json"
exit "$status"
