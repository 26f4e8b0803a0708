#!/bin/bash
# Session entrypoint, run as uid 1000 under tini: sshd on :2222 for the user's keys (non-root sshd can
# only log in as this user, which is the point), then code-server on :8080 without its own auth
# (Caddy's forward auth is the gate).
#
# The user's environment lives in their home dataset: MedForge sets HOME=/workspace/.home, so VS Code's
# settings and extensions (~/.local/share/code-server), dotfiles, `pip --user` packages (~/.local),
# caches (~/.cache), conda environments and the session's SSH host key stay from one session to the next,
# inside the same quota and snapshots as the rest of the home. What MedForge rewrites at every start (the
# authorized keys, sshd's runtime files) lives in /tmp instead, never in a snapshot.
set -euo pipefail

mkdir -p "$HOME"
# A new environment starts with the usual dotfiles; a user's own are never overwritten.
[ -e "$HOME/.bashrc" ] || cp -rn /etc/skel/. "$HOME/" 2>/dev/null || true
# Repositories cloned or made at /workspace do not list the environment folder as untracked.
if [ "$HOME" = /workspace/.home ] && [ ! -e "$HOME/.config/git/ignore" ]; then
  mkdir -p "$HOME/.config/git"
  printf '/.home/\n' >"$HOME/.config/git/ignore"
fi
# Scripts `pip install --user` puts in ~/.local/bin run from every terminal and SSH login.
export PATH="$HOME/.local/bin:$PATH"

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

# One SSH host key per user, kept with their environment: known_hosts stays valid from session to session.
host_key_dir="$HOME/.medforge"
mkdir -p "$host_key_dir"
chmod 700 "$host_key_dir"
host_key="$host_key_dir/ssh_host_ed25519_key"
if [ ! -f "$host_key" ]; then
  # Sessions of one user share the home and may start together: each makes a key in a folder of its own
  # and publishes it with a hard link, which never replaces one that another session published first.
  # (mktemp, not $$: every container's entrypoint runs under the same few PIDs.)
  scratch_dir="$(mktemp -d "$host_key_dir/.host-key.XXXXXXXX")"
  ssh-keygen -q -t ed25519 -N '' -C "medforge session host key" -f "$scratch_dir/key"
  ln "$scratch_dir/key" "$host_key" 2>/dev/null || true
  rm -rf "$scratch_dir"
fi
# The public half from the key that won (written aside, then renamed: never half a file).
if [ ! -f "$host_key.pub" ]; then
  scratch_pub="$(mktemp "$host_key_dir/.host-key-pub.XXXXXXXX")"
  ssh-keygen -y -f "$host_key" >"$scratch_pub" && chmod 644 "$scratch_pub" && mv -f "$scratch_pub" "$host_key.pub"
fi

ssh_dir="${MEDFORGE_SSHD_DIR:-/tmp/medforge-sshd}"
mkdir -p "$ssh_dir"
chmod 700 "$ssh_dir"
printf '%s\n' "${MEDFORGE_SSH_AUTHORIZED_KEYS:-}" >"$ssh_dir/authorized_keys"
chmod 600 "$ssh_dir/authorized_keys"
# SSH logins get the environment the browser terminal has (the session's MEDFORGE_*, GPU and CUDA
# variables, PATH), through sshd's own configuration rather than a file in the home.
# sshd takes only its first SetEnv line, so all of them go on one, each value in double quotes (sshd reads
# them as one word: the pack's module list has spaces); a value holding a quote or a backslash stays out.
set_env="$(env | grep -E '^(HOME|MEDFORGE_[A-Z_]+|NVIDIA_[A-Z_]+|CUDA_[A-Z_]+|LD_LIBRARY_PATH|PATH|LANG|LC_[A-Z]+|TZ)=' |
  grep -v '^MEDFORGE_SSH_AUTHORIZED_KEYS=' | grep -v '["\\]' | sed 's/^\([^=]*\)=\(.*\)$/\1="\2"/' | tr '\n' ' ' || true)"
cat >"$ssh_dir/sshd_config" <<CONF
Port 2222
HostKey $host_key
PidFile $ssh_dir/sshd.pid
AuthorizedKeysFile $ssh_dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
X11Forwarding no
AllowTcpForwarding yes
PrintMotd no
# The only user is the one sshd runs as; /tmp (its runtime files' parent) is world-writable by design.
StrictModes no
SetEnv $set_env
CONF
/usr/sbin/sshd -f "$ssh_dir/sshd_config" -E "$ssh_dir/sshd.log"
exec code-server --auth none --bind-addr 0.0.0.0:8080 --disable-telemetry --disable-update-check /workspace
