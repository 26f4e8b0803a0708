#!/usr/bin/env bash
# Shared helpers for the ops/dev scripts. Sourced, not run.
set -euo pipefail

MEDFORGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export MEDFORGE_ROOT
RUN_DIR="${MEDFORGE_RUN_DIR:-$MEDFORGE_ROOT/.run}"
export RUN_DIR

log() { printf '[medforge] %s\n' "$*" >&2; }
die() { printf '[medforge] ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif have sudo; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=0
# Installs the Debian packages that are not installed yet (one apt-get update per run, only if needed).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  # RUNLEVEL=1 keeps invoke-rc.d from starting daemons at install time; ensure_* start them explicitly.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.5 s until it succeeds or time runs out.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && die "$what did not become ready within ${seconds}s"
    sleep 0.5
  done
}

# pidfile_alive FILE COMM: true when FILE names a live process whose command is COMM.
pidfile_alive() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# write_secret_file FILE CONTENT: FILE is created owner-only before anything is written to it. The mode
# is the file's own: no umask is changed, so files the rest of a script creates keep their usual modes.
write_secret_file() {
  install -m 0600 /dev/null "$1"
  printf '%s\n' "$2" >"$1"
}

# shellcheck source=node-runtime.sh
source "$MEDFORGE_ROOT/ops/dev/node-runtime.sh"
