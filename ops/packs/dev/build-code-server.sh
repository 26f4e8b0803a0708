#!/usr/bin/env bash
# Installs real code-server from the npm registry with no other network access, into a plain project
# folder (OUT_DIR/code-server), with the Node.js first on PATH (build.sh puts the pinned one there; native
# modules build against its headers through npm_config_nodedir). See ../../../docs/sessions.md.
set -euo pipefail
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:?set by ops/packs/dev/build.sh from ops/versions.env}"
OUT_DIR="${1:?usage: build-code-server.sh OUT_DIR}"
WORK="$OUT_DIR/code-server"
export TMPDIR="$OUT_DIR/tmp"
mkdir -p "$WORK" "$TMPDIR"

for tool in rg python3 make g++ pkg-config; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
[ -f /usr/include/krb5.h ] || { echo "missing libkrb5-dev" >&2; exit 1; }

cd "$WORK"
# Older code-server releases pull @vscode/ripgrep, whose postinstall downloads rg from GitHub: seed its
# download cache with Debian's rg. Current ones ship @vscode/ripgrep-universal (binaries inside).
npm pack "code-server@$CODE_SERVER_VERSION" --silent --pack-destination "$TMPDIR" >/dev/null
tar -xzf "$TMPDIR/code-server-$CODE_SERVER_VERSION.tgz" -C "$TMPDIR" package/lib/vscode/npm-shrinkwrap.json
RG_PKG_VERSION=$(node -p "require('$TMPDIR/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep']?.version ?? ''")
if [ -n "$RG_PKG_VERSION" ]; then
  npm pack "@vscode/ripgrep@$RG_PKG_VERSION" --silent --pack-destination "$TMPDIR" >/dev/null
  tar -xzf "$TMPDIR/vscode-ripgrep-$RG_PKG_VERSION.tgz" -C "$TMPDIR" package/lib/postinstall.js
  RG_VERSION=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$TMPDIR/package/lib/postinstall.js")
  CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
  mkdir -p "$CACHE/rg"
  cp "$(command -v rg)" "$CACHE/rg/rg"
  tar -czf "$CACHE/ripgrep-$RG_VERSION-x86_64-unknown-linux-musl.tar.gz" -C "$CACHE/rg" rg
  echo "seeded ripgrep $RG_VERSION (for @vscode/ripgrep $RG_PKG_VERSION) from $(command -v rg)"
fi

[ -f package.json ] || echo '{"name":"medforge-code-server","private":true}' >package.json
# node-gyp builds against the local Node headers; node-pty runs `npx node-gyp`.
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
export npm_config_yes=true
# npm 11 skips dependency install scripts unless allowed; code-server's postinstall runs further nested
# installs (lib/vscode: node-pty, ripgrep, ...), so allow them all for this one pinned package, via the
# environment so the nested npm runs inherit it.
export npm_config_dangerously_allow_all_scripts=true
npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" 2>&1 | tail -n 20
test -x node_modules/.bin/code-server
echo "built code-server $CODE_SERVER_VERSION in $WORK"
