#!/usr/bin/env bash
# Pins the base images in deploy/compose/.env by digest: for every *_IMAGE value still ending in
# `@sha256:<digest>`, pulls the tag on this host and writes the registry digest in its place. Values
# already pinned are left alone (upgrades: change the tag, put `<digest>` back, run again).
# Usage: pin-images.sh [path/to/.env]
set -euo pipefail
ENV_FILE="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/compose/.env}"
say() { printf '[pin-images] %s\n' "$*" >&2; }
[ -f "$ENV_FILE" ] || { say "$ENV_FILE is missing (cp deploy/compose/.env.example deploy/compose/.env)"; exit 1; }

while IFS= read -r line; do
  key="${line%%=*}"
  value="${line#*=}"
  tag="${value%@sha256:<digest>}"
  [[ "$tag" == *:latest ]] && { say "FAIL $key uses :latest; name a release tag"; exit 1; }
  say "pulling $tag"
  docker pull -q "$tag" >/dev/null
  repository="${tag%:*}"
  digest="$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$tag" | grep -m1 "@sha256:" | sed 's/.*@//')"
  [ -n "$digest" ] || { say "FAIL no registry digest for $tag"; exit 1; }
  sed -i "s|^$key=.*|$key=$tag@$digest|" "$ENV_FILE"
  say "$key=$repository:${tag##*:}@$digest"
done < <(grep -E '^[A-Z_]+_IMAGE=.*@sha256:<digest>$' "$ENV_FILE" || true)
say "every image in $ENV_FILE is pinned"
