#!/usr/bin/env bash
# ensure-packages.sh PKG... — installs the Debian packages that are missing,
# saying which, with sudo only when not root. Installed packages are left alone.
# When another apt or dpkg holds the lock, it waits for it (up to 10 minutes)
# instead of failing at once.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing missing system packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
wait_lock=(-o DPkg::Lock::Timeout=600)
$sudo apt-get "${wait_lock[@]}" update -qq
$sudo apt-get "${wait_lock[@]}" install -y -qq "${missing[@]}"
