#!/usr/bin/env bash
# Installs (apt) and starts whatever is missing of MedForge's real dependencies on a Debian/Ubuntu
# machine without systemd: MariaDB, Redis, Docker Engine, zfs-fuse with a file-backed pool, Caddy and
# Chromium. Idempotent: a second run only checks. Usage: ensure-services.sh [component ...]
# Components: mariadb redis docker zfs caddy chromium pack-tools (default: all).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB_USER="${DB_USER:-medforge}"
DB_PASSWORD="${DB_PASSWORD:-medforge-dev}"
ZFS_POOL="${ZFS_POOL:-mfdev}"
ZFS_POOL_FILE="${ZFS_POOL_FILE:-/var/lib/medforge/zfs/${ZFS_POOL}.img}"
ZFS_POOL_SIZE="${ZFS_POOL_SIZE:-8G}"

ensure_mariadb() {
  apt_install mariadb-server mariadb-client
  if ! mariadb-admin ping --silent >/dev/null 2>&1; then
    log "starting MariaDB"
    as_root install -d -o mysql -g mysql /run/mysqld
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for "MariaDB" 60 mariadb-admin ping --silent
  fi
  # An application account so nothing depends on how root authenticates (unix_socket on Debian).
  as_root mariadb -uroot <<SQL
CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`medforge\_%\`.* TO '${DB_USER}'@'127.0.0.1', '${DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`mf\_t\_%\`.* TO '${DB_USER}'@'127.0.0.1', '${DB_USER}'@'localhost';
SQL
}

ensure_redis() {
  apt_install redis-server
  if ! redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG; then
    log "starting Redis"
    as_root install -d /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/medforge-dev.log
    wait_for "Redis" 30 sh -c 'redis-cli -h 127.0.0.1 ping | grep -q PONG'
  fi
}

ensure_docker() {
  apt_install docker.io
  as_root docker info >/dev/null 2>&1 && return 0
  # A dockerd killed with the machine or session leaves its pid file (a new one refuses to start) and
  # containerd state of every container that ran; containerd clears those dead shims one by one at its
  # next start, which can outlast dockerd's wait for it. The clean-up progresses, so a retry gets further.
  local attempt
  for attempt in 1 2 3; do
    log "starting dockerd (attempt $attempt)"
    pidfile_alive /var/run/docker.pid dockerd || as_root rm -f /var/run/docker.pid
    as_root sh -c 'nohup dockerd >>/var/log/medforge-dockerd.log 2>&1 &'
    local deadline=$((SECONDS + 90))
    while [ "$SECONDS" -lt "$deadline" ]; do
      as_root docker info >/dev/null 2>&1 && return 0
      pidfile_alive /var/run/docker.pid dockerd || pgrep -x dockerd >/dev/null || break # it gave up
      sleep 0.5
    done
    as_root pkill -x dockerd && sleep 2 # still hanging: stop it before the next attempt
  done
  die "Docker Engine did not start (log: /var/log/medforge-dockerd.log)"
}

zfs_daemon_running() { pidfile_alive /var/run/zfs/zfs-fuse.pid zfs-fuse; }

# A zfs-fuse that was killed (machine or session restart) leaves its pid file and its FUSE mounts behind;
# the mounts answer ENOTCONN, so a new daemon can neither mount on them nor create mountpoints below them,
# and the stale pid file makes it refuse to start. Only zfs-fuse's own mounts are touched.
clear_dead_zfs_state() {
  as_root rm -f /var/run/zfs/zfs-fuse.pid
  local mountpoint
  # Shallowest first: the kernel cannot even walk to a mount below a dead one, while a lazy unmount of
  # the dead parent detaches everything under it.
  while mountpoint="$(awk '$3 == "fuse.zfs" || ($1 == "kstat" && $3 == "fuse") { print $2 }' /proc/mounts |
    sort | while read -r candidate; do
      stat "$candidate" >/dev/null 2>&1 || { echo "$candidate"; break; }
    done)" && [ -n "$mountpoint" ]; do
    log "unmounting dead FUSE mount $mountpoint"
    as_root umount -l "$mountpoint"
  done
}

ensure_zfs() {
  apt_install zfs-fuse
  if ! zfs_daemon_running || ! as_root zpool list >/dev/null 2>&1; then
    log "starting zfs-fuse"
    clear_dead_zfs_state
    as_root install -d /var/run/zfs /var/lock/zfs
    as_root zfs-fuse --pidfile /var/run/zfs/zfs-fuse.pid
    wait_for "zfs-fuse" 30 as_root zpool list
  fi
  if ! as_root zpool list -H -o name "$ZFS_POOL" >/dev/null 2>&1; then
    if [ -f "$ZFS_POOL_FILE" ]; then
      log "importing file-backed pool $ZFS_POOL"
      as_root zpool import -d "$(dirname "$ZFS_POOL_FILE")" "$ZFS_POOL"
    else
      log "creating file-backed pool $ZFS_POOL ($ZFS_POOL_SIZE sparse) at $ZFS_POOL_FILE"
      as_root install -d "$(dirname "$ZFS_POOL_FILE")"
      as_root truncate -s "$ZFS_POOL_SIZE" "$ZFS_POOL_FILE"
      as_root zpool create -f "$ZFS_POOL" "$ZFS_POOL_FILE"
    fi
  fi
  # zfs-fuse imports cached pools at start but mounts nothing; datasets must be mounted before children
  # can be created under them.
  as_root zfs mount -a
  for dataset in "$ZFS_POOL/medforge" "$ZFS_POOL/medforge/workspaces"; do
    as_root zfs list -H -o name "$dataset" >/dev/null 2>&1 || as_root zfs create "$dataset"
  done
  # Prove the pool takes nested datasets, the way sessions and tests use it, before anything relies on it.
  local probe="$ZFS_POOL/medforge/probe-$$"
  as_root zfs create -p "$probe/child" || die "zfs cannot create datasets under $ZFS_POOL/medforge"
  # zfs-fuse reports a just-mounted dataset busy for a moment.
  wait_for "removal of $probe" 30 as_root zfs destroy -r "$probe"
}

ensure_caddy() { apt_install caddy; }

ensure_chromium() { apt_install chromium fonts-liberation; }

# `docker-compose config` validates deploy/compose (Debian ships Compose v1; the file is Compose-spec).
ensure_compose() { apt_install docker-compose; }

# What ops/packs/dev/build.sh needs to build the session pack offline (debootstrap, code-server deps).
ensure_pack-tools() { apt_install debootstrap ripgrep python3 make g++ pkg-config libkrb5-dev openssh-client; }

components=("$@")
[ "${#components[@]}" -eq 0 ] && components=(mariadb redis docker zfs caddy chromium compose pack-tools)
for component in "${components[@]}"; do
  case "$component" in
    mariadb | redis | docker | zfs | caddy | chromium | compose | pack-tools) "ensure_$component" ;;
    *) die "unknown component '$component' (mariadb redis docker zfs caddy chromium pack-tools)" ;;
  esac
done
log "ready: ${components[*]}"
