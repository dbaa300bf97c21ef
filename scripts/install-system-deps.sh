#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (real servers to check against, ping, a
# browser). Each area lists its packages in scripts/apt-packages/<area>.txt, one per line.
set -euo pipefail
cd "$(dirname "$0")/.."
wanted=$(cat scripts/apt-packages/*.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \n' '\n' | sort -u | grep -v '^$' || true)
[ -n "$wanted" ] || exit 0
missing=()
for pkg in $wanted; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages: all present"; exit 0; }
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
# policy-rc.d keeps Debian from starting daemons at install time: tests start their own.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
# Another apt run (unattended upgrades, a person installing a tool) holds dpkg's lock for a
# while: wait for it rather than fail the run.
lock_wait=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${lock_wait[@]}" update -qq
$SUDO apt-get "${lock_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
