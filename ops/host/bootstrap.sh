#!/usr/bin/env bash
# Prepares an Ubuntu 24.04 host with NVIDIA GPUs for MedForge (docs/runbook.md, "Install"):
#   1. Docker Engine + Compose v2, ZFS userland, iptables
#   2. NVIDIA driver check + NVIDIA Container Toolkit, wired into Docker
#   3. the ZFS pool (created only when ZFS_POOL_DEVICES names empty disks) and the workspaces dataset
#   4. the two sessions networks (ops/host/create-networks.sh)
#   5. the east-west firewall (ops/host/firewall-setup.sh) and a systemd unit that restores it at boot
# Idempotent: re-running skips what is already in place. Each step says what it did.
#
# Environment:
#   ZFS_POOL            default tank
#   ZFS_POOL_DEVICES    disks for a new pool, e.g. "/dev/nvme1n1 /dev/nvme2n1" (mirror); unset: the pool
#                       must already exist
#   ZFS_WORKSPACE_ROOT  default $ZFS_POOL/medforge/workspaces
#   SKIP_NVIDIA=1       hosts without GPUs (evaluation only; sessions then get no GPU)
# Usage: sudo ops/host/bootstrap.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POOL="${ZFS_POOL:-tank}"
WORKSPACES="${ZFS_WORKSPACE_ROOT:-$POOL/medforge/workspaces}"
say() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { say "FAIL $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo)"
. /etc/os-release
[ "${ID:-}" = ubuntu ] || say "warning: written for Ubuntu 24.04, this is ${PRETTY_NAME:-unknown}"

say "1/5 packages: docker.io docker-compose-v2 zfsutils-linux iptables"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq docker.io docker-compose-v2 zfsutils-linux iptables curl gnupg >/dev/null
systemctl enable --now docker >/dev/null

if [ "${SKIP_NVIDIA:-0}" = 1 ]; then
  say "2/5 NVIDIA: skipped (SKIP_NVIDIA=1)"
else
  if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null; then
    die "no working NVIDIA driver (install one: ubuntu-drivers install, then reboot)"
  fi
  if ! command -v nvidia-ctk >/dev/null; then
    say "2/5 NVIDIA Container Toolkit from NVIDIA's apt repository"
    curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey |
      gpg --dearmor --yes -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg
    curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list |
      sed 's#deb https://#deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://#' \
        >/etc/apt/sources.list.d/nvidia-container-toolkit.list
    apt-get update -qq && apt-get install -y -qq nvidia-container-toolkit >/dev/null
  fi
  nvidia-ctk runtime configure --runtime=docker >/dev/null
  systemctl restart docker
  say "2/5 NVIDIA: $(nvidia-smi -L | wc -l) GPU(s), toolkit wired into Docker"
fi

if zpool list -H "$POOL" >/dev/null 2>&1; then
  say "3/5 ZFS pool $POOL exists"
elif [ -n "${ZFS_POOL_DEVICES:-}" ]; then
  # shellcheck disable=SC2086
  set -- $ZFS_POOL_DEVICES
  layout=(); [ "$#" -gt 1 ] && layout=(mirror)
  zpool create -o ashift=12 -O compression=lz4 -O atime=off -O xattr=sa "$POOL" "${layout[@]}" "$@"
  say "3/5 created ZFS pool $POOL on $*"
else
  die "ZFS pool $POOL does not exist: set ZFS_POOL_DEVICES to empty disks, or create it yourself"
fi
zfs list -H "$WORKSPACES" >/dev/null 2>&1 || zfs create -p "$WORKSPACES"
say "3/5 workspaces under $WORKSPACES (mounted at $(zfs get -H -o value mountpoint "$WORKSPACES"))"

say "4/5 sessions networks"
bash "$here/create-networks.sh"

say "5/5 firewall"
bash "$here/firewall-setup.sh"
cat >/etc/systemd/system/medforge-firewall.service <<UNIT
[Unit]
Description=MedForge east-west firewall for session containers
After=docker.service
Requires=docker.service

[Service]
Type=oneshot
ExecStart=/bin/bash $here/firewall-setup.sh
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload && systemctl enable medforge-firewall.service >/dev/null
say "done: next, deploy/compose/.env (docs/runbook.md, step 3)"
