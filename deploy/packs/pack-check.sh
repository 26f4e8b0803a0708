#!/bin/bash
# The check every session pack must pass before it is used: run as the session user (uid 1000), the
# pack's own entrypoint must bring up sshd (an SSH banner on :2222) and code-server (/healthz 200 on
# :8080), the `medforge` command (submit from the workbench) must run, and the Python ML stack the pack
# names (MEDFORGE_PACK_PYTHON_MODULES) must import and train a tiny network. Runs inside the image: as the last step of deploy/packs/default/Dockerfile, and from the host
# (ops/packs/check-pack.sh) with the same flags sessions get. Exits non-zero with the entrypoint's
# output, which names the cause (e.g. `code-server: not found` when uid 1000 cannot read the install).
set -uo pipefail
TIMEOUT_SECONDS="${PACK_CHECK_TIMEOUT_SECONDS:-60}"

fail() {
  printf 'pack check FAILED: %s\n' "$1" >&2
  if [ -s "$scratch/entrypoint.log" ]; then
    echo '--- entrypoint output (last 30 lines) ---' >&2
    tail -n 30 "$scratch/entrypoint.log" >&2
  fi
  exit 1
}

[ "$(id -u)" = 1000 ] || { echo "pack check FAILED: runs as uid $(id -u), sessions run as uid 1000" >&2; exit 1; }
# A throwaway home: nothing the check writes (host keys, code-server state) may stay in an image layer.
scratch="$(mktemp -d)"
export HOME="$scratch/home" MEDFORGE_SSHD_DIR="$scratch/sshd" MEDFORGE_SSH_AUTHORIZED_KEYS="${MEDFORGE_SSH_AUTHORIZED_KEYS:-}"
mkdir -p "$HOME"
/usr/local/bin/medforge-entrypoint >"$scratch/entrypoint.log" 2>&1 &
entrypoint=$!
trap 'kill "$entrypoint" 2>/dev/null; pkill -u 1000 -f "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

# One bash /dev/tcp exchange; prints the first line the server sends back.
first_line() { # port request
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  [ -n "$2" ] && printf '%b' "$2" >&3
  local line
  IFS= read -r -t 2 line <&3
  exec 3<&-
  printf '%s' "$line"
}

ssh_ok=0 http_ok=0
deadline=$((SECONDS + TIMEOUT_SECONDS))
while [ "$SECONDS" -lt "$deadline" ]; do
  if ! kill -0 "$entrypoint" 2>/dev/null; then
    wait "$entrypoint"
    fail "the entrypoint exited with code $? before sshd and code-server were up"
  fi
  [ "$ssh_ok" = 1 ] || { first_line 2222 '' 2>/dev/null | grep -q '^SSH-2.0' && ssh_ok=1; }
  [ "$http_ok" = 1 ] ||
    { first_line 8080 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' 2>/dev/null | grep -q ' 200 ' && http_ok=1; }
  if [ "$ssh_ok" = 1 ] && [ "$http_ok" = 1 ]; then
    # The in-session command (medforge submit) must run for the session user too.
    medforge help >/dev/null 2>"$scratch/medforge.log" ||
      { cat "$scratch/medforge.log" >&2; fail "the medforge command does not run as uid 1000"; }
    # The Python ML stack the pack promises: every module imports, a tiny network learns (CPU; GPU too
    # where one is bound).
    if [ -n "${MEDFORGE_PACK_PYTHON_MODULES:-}" ]; then
      python3 /usr/local/share/medforge/ml-check.py >"$scratch/ml.log" 2>&1 ||
        { cat "$scratch/ml.log" >&2; fail "the pack's Python ML stack does not work as uid 1000"; }
      sed 's/^/  /' "$scratch/ml.log"
    fi
    # The workbench shows MedForge's notices (a coming stop) through the built-in extension.
    notices=/opt/code-server/node_modules/code-server/lib/vscode/extensions/medforge-notices/extension.js
    [ -r "$notices" ] || fail "the medforge-notices extension is missing or unreadable ($notices)"
    echo "pack check passed: sshd and code-server ($(code-server --version 2>/dev/null | head -n 1)) answer as uid 1000"
    exit 0
  fi
  sleep 0.5
done
fail "within ${TIMEOUT_SECONDS}s: sshd answering=$ssh_ok, code-server /healthz 200=$http_ok"
