#!/usr/bin/env bash
# Sourced by ops/dev/lib.sh: puts the pinned Node.js (ops/versions.env) first on PATH, whatever the
# system's Node is. The binary comes from the npm registry's node-linux-<arch> package (the official
# build), is checked against the pinned sha512 and its own version before use, and is kept in
# .tools/node-v<version>/ (also the headers node-gyp builds against, and the node the dev pack ships).
# node_modules installed by another Node (e.g. `npm ci` with the system's) get their native addons
# rebuilt once for this one.

# shellcheck source=../versions.env
source "$MEDFORGE_ROOT/ops/versions.env"

node_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "no pinned Node.js for $(uname -m) (ops/versions.env pins linux x64 and arm64)" ;;
  esac
}

# Downloads, verifies and unpacks the pinned Node into .tools/ unless it is there already.
ensure_pinned_node() {
  local arch integrity home
  arch="$(node_arch)"
  home="$MEDFORGE_ROOT/.tools/node-v$NODE_VERSION-linux-$arch"
  if [ ! -x "$home/bin/node" ] || [ "$("$home/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    case "$arch" in x64) integrity="$NODE_INTEGRITY_X64" ;; arm64) integrity="$NODE_INTEGRITY_ARM64" ;; esac
    log "fetching Node.js $NODE_VERSION (node-linux-$arch from the npm registry)"
    local scratch tarball actual
    scratch="$(mktemp -d "$MEDFORGE_ROOT/.tools-download.XXXXXX")"
    # npm needs some Node to run; any the system has will do for `npm pack`.
    (cd "$scratch" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null) \
      || { rm -rf "$scratch"; die "could not fetch node-linux-$arch@$NODE_VERSION from the npm registry"; }
    tarball="$scratch/node-linux-$arch-$NODE_VERSION.tgz"
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$integrity" ]; then
      rm -rf "$scratch"
      die "node-linux-$arch@$NODE_VERSION does not match its pinned checksum (got $actual)"
    fi
    tar -xzf "$tarball" -C "$scratch"
    [ "$("$scratch/package/bin/node" --version)" = "v$NODE_VERSION" ] \
      || { rm -rf "$scratch"; die "the fetched Node.js does not report v$NODE_VERSION"; }
    chmod -R u=rwX,go=rX "$scratch/package"
    mkdir -p "$MEDFORGE_ROOT/.tools"
    rm -rf "$home"
    mv "$scratch/package" "$home"
    rm -rf "$scratch"
    log "Node.js $NODE_VERSION verified ($integrity)"
  fi
  MEDFORGE_NODE_HOME="$home"
  export MEDFORGE_NODE_HOME
}

# Under `npm run`, npm tells child processes which Node ran it (npm_config_user_agent, npm_node_execpath,
# npm_execpath): left in place, a nested npm and the scripts it runs would believe they run on that one
# (code-server's postinstall refuses to install, reading "node/v20" from the user agent).
forget_outer_npm() { unset npm_config_user_agent npm_node_execpath npm_execpath; }

# PATH gets the pinned Node first; native addons built for another Node are rebuilt for it.
use_pinned_node() {
  ensure_pinned_node
  forget_outer_npm
  case ":$PATH:" in *":$MEDFORGE_NODE_HOME/bin:"*) ;; *) PATH="$MEDFORGE_NODE_HOME/bin:$PATH" ;; esac
  export PATH
  # node-gyp builds against the pinned Node's own headers, never downloads them.
  export npm_config_nodedir="$MEDFORGE_NODE_HOME"
  local stamp="$MEDFORGE_ROOT/node_modules/.medforge-node-abi" abi
  abi="$(node -p 'process.versions.modules')"
  if [ -d "$MEDFORGE_ROOT/node_modules" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$abi" ]; then
    log "rebuilding native addons for Node.js $NODE_VERSION (ABI $abi)"
    (cd "$MEDFORGE_ROOT" && npm rebuild --no-audit --no-fund >/dev/null) || die "npm rebuild failed"
    echo "$abi" >"$stamp"
  fi
}
