#!/usr/bin/env bash
# Builds, offline, the images sessions run on a machine without a registry:
#   medforge/base:<distro>-<release>  debootstrap --variant=minbase of this host's own release, from the
#                                     mirror this host's apt uses, `docker import`ed
#   medforge/base-ml:<release>-<hash> base + Debian's Python ML stack (Dockerfile.ml; CPU builds), kept
#                                     across pack rebuilds
#   medforge/pack-dev:<tag>           base-ml + the pinned Node.js + code-server (ops/versions.env) + sshd
# Every pack, new or already built, must pass ops/packs/check-pack.sh (code-server and sshd start as
# uid 1000); one that fails is removed and built again from scratch, so a broken image never survives.
# Nothing depends on the caller's umask or on what an earlier build left in the build folder.
# Prints the pack's image id (sha256:...), which is how packs are pinned when there is no registry.
source "$(dirname "${BASH_SOURCE[0]}")/../../dev/lib.sh"
here="$MEDFORGE_ROOT/ops/packs/dev"
umask 022 # this build's own files are world-readable, whatever the caller's umask
BUILD_DIR="${MEDFORGE_BUILD_DIR:-/var/lib/medforge/build}"
ensure_pinned_node
forget_outer_npm
# shellcheck source=/dev/null
source /etc/os-release
DISTRO="${ID:?}" RELEASE="${VERSION_CODENAME:?/etc/os-release names no release codename}"
BASE_IMAGE="medforge/base:$DISTRO-$RELEASE"
ENTRYPOINT_SRC="$MEDFORGE_ROOT/deploy/packs/session-entrypoint.sh"
CLI_SRC="$MEDFORGE_ROOT/deploy/packs/medforge-cli.js"
NOTICES_SRC="$MEDFORGE_ROOT/deploy/packs/medforge-notices"
ML_CHECK_SRC="$MEDFORGE_ROOT/deploy/packs/ml/ml-check.py"
ML_BASE_IMAGE="medforge/base-ml:$DISTRO-$RELEASE-$(sha256sum <"$here/Dockerfile.ml" | cut -c1-8)"
# The tag names the versions and hashes the recipe, so changing any of them builds a new pack.
RECIPE_HASH=$(cat "$here/Dockerfile" "$ENTRYPOINT_SRC" "$CLI_SRC" "$NOTICES_SRC"/* "$ML_CHECK_SRC" "$here/Dockerfile.ml" |
  sha256sum | cut -c1-8)
PACK_IMAGE="medforge/pack-dev:cs-$CODE_SERVER_VERSION-node-$NODE_VERSION-$RECIPE_HASH"
CODE_SERVER_DIR="$BUILD_DIR/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"

build_base() {
  have debootstrap || die "debootstrap is missing (apt-get install debootstrap)"
  local mirror components=main rootfs
  mirror="${DEBIAN_MIRROR:-$(bash "$MEDFORGE_ROOT/ops/packs/host-apt-mirror.sh" "$RELEASE")}" ||
    die "no apt source for $RELEASE on this host; set DEBIAN_MIRROR"
  [ "$DISTRO" = ubuntu ] && components=main,universe # tini lives in universe
  rootfs="$(mktemp -d "$BUILD_DIR/rootfs.XXXXXX")"
  chmod 0755 "$rootfs" # mktemp made it owner-only; it becomes the image's /
  log "debootstrap $RELEASE (minbase) from $mirror"
  debootstrap --variant=minbase --components="$components" \
    --include=ca-certificates,openssh-server,openssh-client,tini,git,procps,less,nano \
    "$RELEASE" "$rootfs" "$mirror" >"$BUILD_DIR/debootstrap.log" 2>&1 ||
    { tail -n 20 "$BUILD_DIR/debootstrap.log" >&2; rm -rf "$rootfs"; die "debootstrap failed"; }
  tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  log "imported $BASE_IMAGE"
}

# code-server is built once per version pair and kept; it is only ever used after a complete build
# (built elsewhere, then renamed into place).
build_code_server() {
  [ -x "$CODE_SERVER_DIR/code-server/node_modules/.bin/code-server" ] && return 0
  local scratch
  scratch="$(mktemp -d "$BUILD_DIR/code-server-build.XXXXXX")"
  PATH="$MEDFORGE_NODE_HOME/bin:$PATH" npm_config_nodedir="$MEDFORGE_NODE_HOME" \
    CODE_SERVER_VERSION="$CODE_SERVER_VERSION" bash "$here/build-code-server.sh" "$scratch" >&2 ||
    { rm -rf "$scratch"; die "building code-server $CODE_SERVER_VERSION failed"; }
  rm -rf "$CODE_SERVER_DIR" "$scratch/tmp"
  mv "$scratch" "$CODE_SERVER_DIR"
}

# Debian's Python ML stack over the base: slow to fetch (about 1 GB), so built once and kept.
build_ml_base() {
  log "docker build $ML_BASE_IMAGE (Debian's Python ML stack; first time: a few minutes)"
  docker build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$ML_BASE_IMAGE" -f "$here/Dockerfile.ml" "$here" >/dev/null ||
    die "docker build $ML_BASE_IMAGE failed"
}

build_pack() {
  docker image inspect "$ML_BASE_IMAGE" >/dev/null 2>&1 || build_ml_base
  build_code_server
  local context
  context="$(mktemp -d "$BUILD_DIR/pack-context.XXXXXX")"
  cp "$here/Dockerfile" "$context/"
  cp "$ENTRYPOINT_SRC" "$context/entrypoint.sh"
  cp "$CLI_SRC" "$context/medforge-cli.js"
  cp -r "$NOTICES_SRC" "$context/medforge-notices"
  cp "$ML_CHECK_SRC" "$context/ml-check.py"
  cp "$MEDFORGE_NODE_HOME/bin/node" "$context/node"
  cp -a "$CODE_SERVER_DIR/code-server" "$context/code-server"
  # Whatever modes the sources have, the session user (uid 1000) must read and run all of it.
  chmod -R u+rwX,go+rX,go-w "$context"
  log "docker build $PACK_IMAGE"
  docker build -q --build-arg "BASE_IMAGE=$ML_BASE_IMAGE" -t "$PACK_IMAGE" "$context" >/dev/null ||
    { rm -rf "$context"; die "docker build $PACK_IMAGE failed"; }
  rm -rf "$context"
}

check_pack() { bash "$MEDFORGE_ROOT/ops/packs/check-pack.sh" "$PACK_IMAGE" >&2; }

mkdir -p "$BUILD_DIR"
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || build_base
if docker image inspect "$PACK_IMAGE" >/dev/null 2>&1 && ! check_pack; then
  log "$PACK_IMAGE fails its check: removing it and building it again"
  docker image rm -f "$PACK_IMAGE" >/dev/null
fi
if ! docker image inspect "$PACK_IMAGE" >/dev/null 2>&1; then
  build_pack
  if ! check_pack; then
    log "the new pack fails its check: building again with a fresh code-server build"
    docker image rm -f "$PACK_IMAGE" >/dev/null
    rm -rf "$CODE_SERVER_DIR"
    build_pack
    check_pack || { docker image rm -f "$PACK_IMAGE" >/dev/null; die "$PACK_IMAGE fails its check (above)"; }
  fi
fi
docker image inspect --format '{{.Id}}' "$PACK_IMAGE"
