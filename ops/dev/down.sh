#!/usr/bin/env bash
# Stops what ops/dev/up.sh started (services and Caddy); leaves MariaDB, Redis, Docker and ZFS running.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Gateway replicas (GATEWAY_REPLICAS) have pid files gateway-2.pid, gateway-3.pid, ...
gateway_replicas=()
for pidfile in "$RUN_DIR"/gateway-*.pid; do
  [ -e "$pidfile" ] && gateway_replicas+=("$(basename "$pidfile" .pid)")
done
for name in scoring-worker "${gateway_replicas[@]}" gateway competition session-runtime identity; do
  pidfile="$RUN_DIR/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    log "stopped $name"
  fi
  rm -f "$pidfile"
done
if [ -f "$RUN_DIR/caddy.pid" ]; then
  caddy stop --address "127.0.0.1:${CADDY_ADMIN_PORT:-2019}" >/dev/null 2>&1 || true
  rm -f "$RUN_DIR/caddy.pid"
  log "stopped caddy"
fi
