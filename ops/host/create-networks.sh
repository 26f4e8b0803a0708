#!/usr/bin/env bash
# Creates the two sessions networks as session-runtime expects them (it creates them itself when absent;
# compose needs them first, to give Caddy and session-runtime their fixed addresses). Sessions get
# addresses from the upper half of each subnet only, so .2/.3 (Caddy, session-runtime) are never handed
# out. Idempotent; an existing network with a different subnet is reported, not changed.
#
# Environment (same names as session-runtime's settings):
#   SESSION_NETWORK_EXTERNAL          default medforge-external-sessions
#   SESSION_NETWORK_EXTERNAL_SUBNET   default 172.30.0.0/24
#   SESSION_NETWORK_INTERNAL          default medforge-internal-sessions   (no egress: Docker `internal`)
#   SESSION_NETWORK_INTERNAL_SUBNET   default 172.31.0.0/24
set -euo pipefail

say() { printf '[networks] %s\n' "$*" >&2; }

# Upper half of a CIDR: 172.30.0.0/24 -> 172.30.0.128/25 (what session-runtime's IPRange is).
upper_half() {
  local ip="${1%/*}" bits="${1#*/}" a b c d
  IFS=. read -r a b c d <<<"$ip"
  local n=$(((a << 24) | (b << 16) | (c << 8) | d))
  n=$((n + (1 << (31 - bits))))
  printf '%d.%d.%d.%d/%d\n' $(((n >> 24) & 255)) $(((n >> 16) & 255)) $(((n >> 8) & 255)) $((n & 255)) $((bits + 1))
}

ensure_network() { # name subnet internal(true|false)
  local name="$1" subnet="$2" internal="$3"
  if docker network inspect "$name" >/dev/null 2>&1; then
    local actual
    actual="$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' "$name")"
    if [ "$actual" != "$subnet" ]; then
      say "FAIL $name exists with subnet $actual, expected $subnet: remove it (no session attached) or fix the settings"
      return 1
    fi
    say "$name exists ($subnet)"
    return 0
  fi
  local flags=(--driver bridge --subnet "$subnet" --ip-range "$(upper_half "$subnet")" --label dev.medforge.managed=true)
  [ "$internal" = true ] && flags+=(--internal)
  docker network create "${flags[@]}" "$name" >/dev/null
  say "created $name ($subnet, sessions in $(upper_half "$subnet")${internal:+, internal=$internal})"
}

if [ "${1:-}" = "--upper-half" ]; then upper_half "$2"; exit 0; fi
ensure_network "${SESSION_NETWORK_EXTERNAL:-medforge-external-sessions}" "${SESSION_NETWORK_EXTERNAL_SUBNET:-172.30.0.0/24}" false
ensure_network "${SESSION_NETWORK_INTERNAL:-medforge-internal-sessions}" "${SESSION_NETWORK_INTERNAL_SUBNET:-172.31.0.0/24}" true
