#!/usr/bin/env bash
# CI's newcomer run (after `npm test`): removes everything the tests may have left that `npm run up`
# could reuse — pack and base images, the pack build folder, the development databases, .run/ and the
# fetched Node.js — then runs the README's bring-up exactly as a new user does, the newcomer journey
# against it through Caddy, and brings the stack down again. A bring-up that only works on a machine
# that already ran the tests fails here.
source "$(dirname "${BASH_SOURCE[0]}")/../dev/lib.sh"
cd "$MEDFORGE_ROOT"
BUILD_DIR="${MEDFORGE_BUILD_DIR:-/var/lib/medforge/build}"
started=$SECONDS

log "newcomer: clearing what earlier runs left"
bash ops/dev/down.sh
images="$(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '^medforge/(pack-dev|base|base-ml|pack-test-[a-z-]+|test-sleeper):' || true)"
for image in $images; do
  docker ps -aq --filter "ancestor=$image" | xargs -r docker rm -f >/dev/null
  docker image rm -f "$image" >/dev/null
done
as_root rm -rf "$BUILD_DIR"
for database in medforge_identity medforge_session medforge_competition; do
  as_root mariadb -uroot -e "DROP DATABASE IF EXISTS \`$database\`"
done
# The development installation ends with its databases: its session containers and its claim on the
# instance name go too (a new bring-up is a new installation, which would rightly refuse a name in use).
instance="${MEDFORGE_INSTANCE:-medforge}"
docker ps -aq --filter "label=dev.medforge.instance=$instance" | xargs -r docker rm -f >/dev/null
docker volume rm -f "medforge-instance-$instance" >/dev/null
rm -rf "$RUN_DIR" .tools

log "newcomer: npm ci && npm run up (one GPU: the journey waits in the queue for it once)"
npm ci --no-audit --no-fund >/dev/null
trap 'bash ops/dev/down.sh' EXIT
up_started=$SECONDS
MEDFORGE_GPUS=virtual:1 npm run up
log "newcomer: npm ci && npm run up took $((SECONDS - up_started)) s"

use_pinned_node
mkdir -p artifacts
node ops/test/newcomer-journey.js --base-url "http://medforge.localhost:${MEDFORGE_HTTP_PORT:-8080}" --resolve 127.0.0.1 \
  --expect-queue
log "newcomer: passed in $((SECONDS - started)) s"
