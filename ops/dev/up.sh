#!/usr/bin/env bash
# Brings the whole platform up on this machine (README: `npm run up`): installs and starts the real
# dependencies, builds, migrates and seeds (each subgraph migrates its own database and the catalog is
# seeded at start), starts the three subgraphs and the gateway, puts Caddy in front, checks a federated
# query through Caddy and prints the URL. Idempotent: running it again restarts the services.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDFORGE_ROOT"

bash ops/dev/ensure-services.sh
have npm || die "npm is required to fetch the pinned Node.js (your distribution's npm package, or nodejs.org)"
[ -d node_modules ] || npm ci --no-audit --no-fund
use_pinned_node
log "Node.js $(node --version) from $MEDFORGE_NODE_HOME"
log "building"
npm run --silent build >/dev/null

mkdir -p "$RUN_DIR/logs"
[ -f "$RUN_DIR/dev.env" ] ||
  write_secret_file "$RUN_DIR/dev.env" "CONTEXT_SIGNING_SECRET=$(random_hex 32)"
set -a
# shellcheck source=/dev/null
source "$RUN_DIR/dev.env"
set +a
export MEDFORGE_ENV="${MEDFORGE_ENV:-development}"
export MEDFORGE_DOMAIN="${MEDFORGE_DOMAIN:-medforge.localhost}"
export MEDFORGE_HTTP_PORT="${MEDFORGE_HTTP_PORT:-8080}"
export GATEWAY_PORT="${GATEWAY_PORT:-4000}"
export MEDFORGE_GPUS="${MEDFORGE_GPUS:-virtual:7}"
export MEDFORGE_UI_DIST="$MEDFORGE_ROOT/ui/dist"
# Sessions: the offline dev pack, pinned by image id, and workspaces on the file-backed ZFS pool. The
# build checks the pack (code-server and sshd as uid 1000) and rebuilds one that fails.
log "building and checking the dev pack image (first time: a few minutes)"
MEDFORGE_DEFAULT_PACK_IMAGE="$(bash ops/packs/dev/build.sh)"
export MEDFORGE_DEFAULT_PACK_IMAGE
export WORKSPACE_BACKEND="${WORKSPACE_BACKEND:-zfs}"
export ZFS_WORKSPACE_ROOT="${ZFS_WORKSPACE_ROOT:-${ZFS_POOL:-mfdev}/medforge/workspaces}"
# Caddy runs on the host here and reaches sessions by container address, not by Docker DNS name.
export SESSION_UPSTREAM_ADDRESSING=container-ip
# Sessions reach the platform (medforge submit) at the console's host name, which points at Docker's
# host-gateway address inside them, where Caddy also listens.
MEDFORGE_SESSIONS_BIND="$(ip -4 -o addr show docker0 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }')"
export MEDFORGE_SESSIONS_BIND MEDFORGE_PUBLIC_URL="http://$MEDFORGE_DOMAIN:$MEDFORGE_HTTP_PORT"
if [ -n "$MEDFORGE_SESSIONS_BIND" ]; then export SESSION_API_HOST_EXTERNAL=host-gateway; fi
# East-west rules; Caddy runs on the host, so no container address is a trusted proxy source, and the
# one place sessions may connect to on the host is Caddy's port.
as_root env SESSION_PROXY_SOURCES= SESSION_API_ENDPOINTS=":$MEDFORGE_HTTP_PORT" bash ops/host/firewall-setup.sh

# Competitions: submitted files and generated hidden labels stay out of the repository (and of sessions).
export SUBMISSIONS_DIR="${SUBMISSIONS_DIR:-$RUN_DIR/submissions}"
export TEST_HOLDOUTS_DIR="${TEST_HOLDOUTS_DIR:-$RUN_DIR/holdouts}"
export TRAINING_DATA_ROOT="${TRAINING_DATA_ROOT:-$RUN_DIR/data/training}"
export PUBLIC_EVAL_DATA_ROOT="${PUBLIC_EVAL_DATA_ROOT:-$RUN_DIR/data/public-eval}"
# Secret holdouts, generated once from a random secret kept beside them (an install still on the old,
# reproducible ones gets new ones; its scores are redone when the scoring worker starts), and the
# training and public-eval data drawn from them. Imported real data is kept.
log "competition data (first time: about 200 MB generated)"
node cli/dist/main.js datasets generate --ensure | sed 's/^/[medforge] /'

bash ops/dev/down.sh

start_service() { # name entrypoint health-url
  local name="$1" entry="$2" health="$3"
  nohup node "$entry" >>"$RUN_DIR/logs/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  if ! wait_for_health "$health"; then
    tail -n 30 "$RUN_DIR/logs/$name.log" >&2
    die "$name did not become healthy (log: $RUN_DIR/logs/$name.log)"
  fi
  log "$name up (pid $(cat "$RUN_DIR/$name.pid"))"
}

wait_for_health() {
  local deadline=$((SECONDS + 60))
  until curl -fsS "$1" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

start_service identity subgraphs/identity/dist/main.js http://127.0.0.1:4101/healthz
start_service session-runtime subgraphs/session-runtime/dist/main.js http://127.0.0.1:4102/healthz
start_service competition subgraphs/competition/dist/main.js http://127.0.0.1:4103/healthz
start_service gateway gateway/dist/main.js "http://127.0.0.1:$GATEWAY_PORT/healthz"
# GATEWAY_REPLICAS=N runs N gateways (ports GATEWAY_PORT, +10, +20, ...) behind Caddy, which balances
# by open connections; Redis fans events and auth invalidations out to every one of them.
GATEWAY_UPSTREAMS="127.0.0.1:$GATEWAY_PORT"
for replica in $(seq 2 "${GATEWAY_REPLICAS:-1}"); do
  port=$((GATEWAY_PORT + 10 * (replica - 1)))
  GATEWAY_PORT="$port" start_service "gateway-$replica" gateway/dist/main.js "http://127.0.0.1:$port/healthz"
  GATEWAY_UPSTREAMS="$GATEWAY_UPSTREAMS 127.0.0.1:$port"
done
export GATEWAY_UPSTREAMS
: >"$RUN_DIR/logs/scoring-worker.log"
nohup node subgraphs/competition/dist/worker/main.js >>"$RUN_DIR/logs/scoring-worker.log" 2>&1 &
echo $! >"$RUN_DIR/scoring-worker.pid"
wait_for "scoring worker (log: $RUN_DIR/logs/scoring-worker.log)" 30 grep -q 'scoring worker ready' "$RUN_DIR/logs/scoring-worker.log"
log "scoring-worker up (pid $(cat "$RUN_DIR/scoring-worker.pid"))"

# A development administrator, so every page of the console can be tried; its password stays in a file
# only its owner can read (the database is made to match it on every start).
DEV_ADMIN_EMAIL="admin@$MEDFORGE_DOMAIN"
DEV_ADMIN_FILE="$RUN_DIR/dev-admin.txt"
[ -f "$DEV_ADMIN_FILE" ] || write_secret_file "$DEV_ADMIN_FILE" "$(printf 'email=%s\npassword=%s' "$DEV_ADMIN_EMAIL" "$(random_hex 12)")"
# create-admin also stores the CLI's API token for it (MEDFORGE_TOKEN_FILE), replacing the previous one.
export MEDFORGE_TOKEN_FILE="$RUN_DIR/cli-token"
sed -n 's/^password=//p' "$DEV_ADMIN_FILE" | node cli/dist/main.js create-admin "$DEV_ADMIN_EMAIL" --password-stdin >/dev/null ||
  die "could not create the development administrator $DEV_ADMIN_EMAIL"

caddy start --config deploy/caddy/Caddyfile.dev --adapter caddyfile --pidfile "$RUN_DIR/caddy.pid" \
  >>"$RUN_DIR/logs/caddy.log" 2>&1 || die "Caddy failed to start (log: $RUN_DIR/logs/caddy.log)"

url="http://$MEDFORGE_DOMAIN:$MEDFORGE_HTTP_PORT"
log "checking a federated query through Caddy"
answer=$(curl -fsS --resolve "$MEDFORGE_DOMAIN:$MEDFORGE_HTTP_PORT:127.0.0.1" "$url/graphql" \
  -H 'content-type: application/json' \
  --data '{"query":"{ competitions { slug leaderboard(limit: 1) { totalEntries } } gpuAvailability { total free } }"}') \
  || die "federated query through Caddy failed"
echo "$answer" | grep -q '"titanic-survival"' || die "unexpected answer through Caddy: $answer"
log "federated query OK: $answer"
curl -fsS --resolve "$MEDFORGE_DOMAIN:$MEDFORGE_HTTP_PORT:127.0.0.1" "$url/" | grep -q '<div id="app">' \
  || die "the console is not served through Caddy"
cat <<MSG

MedForge is up: $url  (console)
  GraphQL (Apollo Sandbox in development): $url/graphql
  REST:    $url/api/v2/competitions
  Health:  $url/healthz
  Sessions: http://s-<slug>.external.$MEDFORGE_DOMAIN:$MEDFORGE_HTTP_PORT/ (owner or admin only)
  Admin:   $DEV_ADMIN_EMAIL, password in $DEV_ADMIN_FILE (or sign up as a new user)
  CLI:     MEDFORGE_TOKEN_FILE=$MEDFORGE_TOKEN_FILE node cli/dist/main.js sessions  (its admin API token)
  Logs:    $RUN_DIR/logs/   Stop: bash ops/dev/down.sh
MSG
