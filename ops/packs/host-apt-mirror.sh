#!/usr/bin/env bash
# Prints the archive URI this host's own apt uses for its release (e.g. http://deb.debian.org/debian, or
# a local mirror or caching proxy), so the pack's base rootfs comes from where this host already gets its
# packages. Reads one-line (*.list) and deb822 (*.sources) sources; the first enabled `deb` entry that
# carries the release's own suite wins. Usage: host-apt-mirror.sh CODENAME [APT_DIR]
set -euo pipefail
codename="${1:?usage: host-apt-mirror.sh CODENAME [APT_DIR]}"
apt_dir="${2:-/etc/apt}"
files=()
[ -f "$apt_dir/sources.list" ] && files+=("$apt_dir/sources.list")
for f in "$apt_dir"/sources.list.d/*.list "$apt_dir"/sources.list.d/*.sources; do [ -f "$f" ] && files+=("$f"); done
[ "${#files[@]}" -gt 0 ] || { echo "no apt sources under $apt_dir" >&2; exit 1; }
for f in "${files[@]}"; do
  case "$f" in
    *.sources)
      # deb822: blank-line separated stanzas of `Field: value` lines.
      awk -v suite="$codename" '
        function flush() {
          if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && tolower(enabled) != "no" && uris != "") {
            split(uris, u, " "); print u[1]; found = 1; exit
          }
          types = suites = uris = enabled = ""
        }
        /^[ \t]*#/ { next }
        /^[ \t]*$/ { flush(); next }
        { line = $0; key = tolower(line); sub(/:.*/, "", key); val = line; sub(/^[^:]*:[ \t]*/, "", val) }
        key == "types" { types = val } key == "suites" { suites = val }
        key == "uris" { uris = val } key == "enabled" { enabled = val }
        END { if (!found) flush() }' "$f"
      ;;
    *)
      # One-line: deb [options] URI SUITE COMPONENT...
      awk -v suite="$codename" '
        $1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                      if ($(i + 1) == suite) { print $i; exit } }' "$f"
      ;;
  esac
done | head -n 1 | grep . || { echo "no apt source for $codename under $apt_dir" >&2; exit 1; }
