#!/bin/bash
# Session entrypoint, run as uid 1000 under tini: sshd on :2222 for the user's keys (non-root sshd can
# only log in as this user, which is the point), then code-server on :8080 without its own auth
# (Caddy's forward auth is the gate).
set -euo pipefail
ssh_dir="$HOME/.medforge-sshd"
mkdir -p "$ssh_dir" "$HOME/.ssh"
chmod 700 "$ssh_dir" "$HOME/.ssh"
[ -f "$ssh_dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/host_ed25519"
printf '%s\n' "${MEDFORGE_SSH_AUTHORIZED_KEYS:-}" >"$HOME/.ssh/authorized_keys"
chmod 600 "$HOME/.ssh/authorized_keys"
cat >"$ssh_dir/sshd_config" <<CONF
Port 2222
HostKey $ssh_dir/host_ed25519
PidFile $ssh_dir/sshd.pid
AuthorizedKeysFile $HOME/.ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
X11Forwarding no
AllowTcpForwarding yes
PrintMotd no
CONF
/usr/sbin/sshd -f "$ssh_dir/sshd_config" -E "$ssh_dir/sshd.log"
exec code-server --auth none --bind-addr 0.0.0.0:8080 --disable-telemetry --disable-update-check /workspace
