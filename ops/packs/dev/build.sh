#!/usr/bin/env bash
# Builds, offline, the images sessions run on a machine without a registry:
#   medforge/base:bookworm       debootstrap --variant=minbase rootfs, `docker import`ed
#   medforge/pack-dev:<version>  base + host Node 20 + host-built code-server + sshd
# Idempotent: existing images are kept. Prints the pack's image id (sha256:...), which is how packs are
# pinned when there is no registry digest. Usage: build.sh [--print-id]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${MEDFORGE_BUILD_DIR:-/var/lib/medforge/build}"
BASE_IMAGE="medforge/base:bookworm"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ENTRYPOINT_SRC="$here/../../../deploy/packs/session-entrypoint.sh"
# The tag carries a hash of what goes into the image besides code-server, so editing either rebuilds.
RECIPE_HASH=$(cat "$here/Dockerfile" "$ENTRYPOINT_SRC" | sha256sum | cut -c1-8)
PACK_IMAGE="medforge/pack-dev:cs-$CODE_SERVER_VERSION-$RECIPE_HASH"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
log() { printf '[pack] %s\n' "$*" >&2; }

mkdir -p "$BUILD_DIR"
if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  rootfs="$BUILD_DIR/rootfs"
  rm -rf "$rootfs"
  log "debootstrap bookworm (minbase) into $rootfs"
  debootstrap --variant=minbase --include=ca-certificates,openssh-server,openssh-client,tini,git,procps,less,nano \
    bookworm "$rootfs" "$DEBIAN_MIRROR" >"$BUILD_DIR/debootstrap.log" 2>&1 \
    || { tail -n 20 "$BUILD_DIR/debootstrap.log" >&2; exit 1; }
  tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  log "imported $BASE_IMAGE"
fi

if ! docker image inspect "$PACK_IMAGE" >/dev/null 2>&1; then
  CODE_SERVER_VERSION="$CODE_SERVER_VERSION" bash "$here/build-code-server.sh" "$BUILD_DIR" >&2
  context="$BUILD_DIR/pack-context"
  rm -rf "$context" && mkdir -p "$context"
  cp "$here/Dockerfile" "$context/"
  cp "$ENTRYPOINT_SRC" "$context/entrypoint.sh"
  cp "$(command -v node)" "$context/node"
  cp -a "$BUILD_DIR/code-server" "$context/code-server"
  log "docker build $PACK_IMAGE"
  docker build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$PACK_IMAGE" "$context" >/dev/null
  rm -rf "$context"
fi
docker image inspect --format '{{.Id}}' "$PACK_IMAGE"
