#!/usr/bin/env bash
# Runs deploy/packs/pack-check.sh inside IMAGE the way sessions run it (uid 1000, every capability
# dropped, no-new-privileges; no network but loopback). Works for any pack, including one built before
# the check existed. Usage: check-pack.sh IMAGE
set -euo pipefail
image="${1:?usage: check-pack.sh IMAGE}"
check="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../deploy/packs" && pwd)/pack-check.sh"
exec docker run --rm --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges --network none \
  -v "$check:/opt/medforge/pack-check.sh:ro" --entrypoint /bin/bash "$image" /opt/medforge/pack-check.sh
