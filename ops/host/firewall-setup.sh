#!/usr/bin/env bash
# East-west isolation of MedForge session containers (iptables; idempotent: re-running replaces the rules).
#
#   - Nothing reaches a session's code-server (:8080) except the proxy sources (Caddy; session-runtime for
#     its readiness probe) — in particular no other session.
#   - Sessions cannot open connections to each other (any port, either sessions network), to the control
#     plane networks, or to any service of the host itself (gateway, MariaDB, Redis, other sessions'
#     published SSH ports).
#   - INTERNAL sessions have no egress: their Docker network is created `internal`; these rules add nothing
#     there but keep them from other sessions as well.
#   - The one exception: sessions may open connections to the platform's edge (SESSION_API_ENDPOINTS), so
#     `medforge submit` works from inside them; it is the same public API anyone on the internet reaches.
# Replies to connections that were allowed are let through. Traffic from the host itself (a Caddy running
# on the host in development, the readiness probe) is not forwarded and is unaffected.
#
# Environment:
#   SESSION_NETWORK_EXTERNAL_SUBNET   default 172.30.0.0/24
#   SESSION_NETWORK_INTERNAL_SUBNET   default 172.31.0.0/24
#   SESSION_PROXY_SOURCES             default "172.30.0.2 172.30.0.3 172.31.0.2 172.31.0.3" (Caddy and
#                                     session-runtime at their fixed addresses on both sessions networks)
#   CONTROL_SUBNETS                   default 172.29.0.0/24 (medforge-control)
#   SESSION_API_ENDPOINTS             default "172.30.0.2:443 172.30.0.2:80 172.31.0.2:443 172.31.0.2:80" (the
#                                     edge Caddy on both sessions networks); ":PORT" means that port on the
#                                     host itself (a Caddy on the host, development: ":8080")
# Usage: firewall-setup.sh [--remove]
set -euo pipefail

EXTERNAL="${SESSION_NETWORK_EXTERNAL_SUBNET:-172.30.0.0/24}"
INTERNAL="${SESSION_NETWORK_INTERNAL_SUBNET:-172.31.0.0/24}"
# Set but empty: no container is a proxy source (Caddy on the host, development and tests).
PROXY_SOURCES="${SESSION_PROXY_SOURCES-172.30.0.2 172.30.0.3 172.31.0.2 172.31.0.3}"
CONTROL="${CONTROL_SUBNETS:-172.29.0.0/24}"
API_ENDPOINTS="${SESSION_API_ENDPOINTS-172.30.0.2:443 172.30.0.2:80 172.31.0.2:443 172.31.0.2:80}"
CODE_SERVER_PORT=8080
FORWARD_CHAIN=MEDFORGE-EAST-WEST
INPUT_CHAIN=MEDFORGE-SESSION-INPUT

say() { printf '[firewall] %s\n' "$*" >&2; }
ipt() { iptables -w 10 "$@"; }

[ "$(id -u)" -eq 0 ] || { say "must run as root"; exit 1; }
command -v iptables >/dev/null || { say "iptables is not installed"; exit 1; }

unhook() { # parent chain
  while ipt -C "$1" -j "$2" 2>/dev/null; do ipt -D "$1" -j "$2"; done
}

remove_chain() { # parent chain
  unhook "$1" "$2"
  if ipt -L "$2" -n >/dev/null 2>&1; then
    ipt -F "$2"
    ipt -X "$2"
  fi
}

if [ "${1:-}" = "--remove" ]; then
  remove_chain DOCKER-USER "$FORWARD_CHAIN"
  remove_chain INPUT "$INPUT_CHAIN"
  say "removed"
  exit 0
fi

# Same-bridge traffic between containers only meets iptables when bridge netfilter is on.
[ -d /proc/sys/net/bridge ] || modprobe br_netfilter
sysctl -q -w net.bridge.bridge-nf-call-iptables=1

# DOCKER-USER is Docker's hook for rules of our own, consulted before Docker's; dockerd creates it.
ipt -L DOCKER-USER -n >/dev/null 2>&1 || ipt -N DOCKER-USER

for chain in "$FORWARD_CHAIN" "$INPUT_CHAIN"; do
  ipt -N "$chain" 2>/dev/null || ipt -F "$chain"
done

# Forwarded traffic (between containers and networks).
ipt -A "$FORWARD_CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
for endpoint in $API_ENDPOINTS; do
  address="${endpoint%:*}" port="${endpoint##*:}"
  [ -n "$address" ] || continue
  for from in "$EXTERNAL" "$INTERNAL"; do
    ipt -A "$FORWARD_CHAIN" -s "$from" -d "$address" -p tcp --dport "$port" -j RETURN
  done
done
for source in $PROXY_SOURCES; do
  for sessions in "$EXTERNAL" "$INTERNAL"; do
    ipt -A "$FORWARD_CHAIN" -s "$source" -d "$sessions" -p tcp --dport "$CODE_SERVER_PORT" -j RETURN
  done
done
for from in "$EXTERNAL" "$INTERNAL"; do
  for to in "$EXTERNAL" "$INTERNAL" $CONTROL; do
    ipt -A "$FORWARD_CHAIN" -s "$from" -d "$to" -j DROP
  done
done
ipt -A "$FORWARD_CHAIN" -j RETURN

# Traffic from sessions to the host itself.
ipt -A "$INPUT_CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
for endpoint in $API_ENDPOINTS; do
  [ -z "${endpoint%:*}" ] || continue
  for from in "$EXTERNAL" "$INTERNAL"; do
    ipt -A "$INPUT_CHAIN" -s "$from" -p tcp --dport "${endpoint##*:}" -j RETURN
  done
done
for from in "$EXTERNAL" "$INTERNAL"; do
  ipt -A "$INPUT_CHAIN" -s "$from" -j DROP
done
ipt -A "$INPUT_CHAIN" -j RETURN

# Hooked first in their parent chains, exactly once.
unhook DOCKER-USER "$FORWARD_CHAIN"
ipt -I DOCKER-USER 1 -j "$FORWARD_CHAIN"
unhook INPUT "$INPUT_CHAIN"
ipt -I INPUT 1 -j "$INPUT_CHAIN"
say "sessions ${EXTERNAL}, ${INTERNAL}: :${CODE_SERVER_PORT} only from ${PROXY_SOURCES:-the host}; no session-to-session, session-to-control (${CONTROL}) or session-to-host connections except to the edge (${API_ENDPOINTS:-none})"
