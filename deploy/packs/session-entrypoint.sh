#!/bin/bash
# Session entrypoint, run as uid 1000 under tini: sshd on :2222 for the user's keys (non-root sshd can
# only log in as this user, which is the point), then code-server on :8080 without its own auth
# (Caddy's forward auth is the gate).
set -euo pipefail

# Workbench defaults: no workspace-trust prompt (the user owns everything here), no walkthrough or
# welcome page, no chat panel opening by itself, no telemetry or update checks. Settings the user saved
# themselves win.
settings_dir="$HOME/.local/share/code-server/User"
if [ ! -f "$settings_dir/settings.json" ]; then
  mkdir -p "$settings_dir"
  cat >"$settings_dir/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.ignoreRecommendations": true
}
JSON
fi

ssh_dir="$HOME/.medforge-sshd"
mkdir -p "$ssh_dir" "$HOME/.ssh"
chmod 700 "$ssh_dir" "$HOME/.ssh"
[ -f "$ssh_dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/host_ed25519"
printf '%s\n' "${MEDFORGE_SSH_AUTHORIZED_KEYS:-}" >"$HOME/.ssh/authorized_keys"
chmod 600 "$HOME/.ssh/authorized_keys"
# SSH logins get the environment the browser terminal has (the session's MEDFORGE_*, GPU and CUDA
# variables, PATH); sshd runs as this user, so letting it read ~/.ssh/environment gives nothing away.
env | grep -E '^(MEDFORGE_|NVIDIA_|CUDA_|LD_LIBRARY_PATH=|PATH=|LANG=|LC_[A-Z]+=|TZ=)' |
  grep -v '^MEDFORGE_SSH_AUTHORIZED_KEYS=' >"$HOME/.ssh/environment" || true
chmod 600 "$HOME/.ssh/environment"
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
PermitUserEnvironment yes
CONF
/usr/sbin/sshd -f "$ssh_dir/sshd_config" -E "$ssh_dir/sshd.log"
exec code-server --auth none --bind-addr 0.0.0.0:8080 --disable-telemetry --disable-update-check /workspace
