#!/usr/bin/env bash
# Runs deploy/packs/pack-check.sh inside IMAGE the way sessions run it (uid 1000, every capability
# dropped, no-new-privileges, a read-only root with /tmp and /var/tmp as scratch; no network but
# loopback). Works for any pack, including one built before
# the check existed. Usage: check-pack.sh IMAGE
set -euo pipefail
image="${1:?usage: check-pack.sh IMAGE}"
check="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../deploy/packs" && pwd)/pack-check.sh"
exec docker run --rm --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges --network none \
  --read-only --tmpfs /tmp:rw,nosuid,nodev,size=512m,mode=1777 --tmpfs /var/tmp:rw,nosuid,nodev,size=64m,mode=1777 \
  -v "$check:/opt/medforge/pack-check.sh:ro" --entrypoint /bin/bash "$image" /opt/medforge/pack-check.sh
