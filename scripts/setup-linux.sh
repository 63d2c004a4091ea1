#!/bin/sh
# Debian packages the guest-network tests need: real Linux networking (iproute2, nftables, curl, util-linux),
# cloud-init's own checks and systemd-analyze. Idempotent and quick when everything is there: installs only what is missing.
# Run as root: .ci/run does; on a workstation, `sudo npm run setup:linux`.
set -eu
PACKAGES="iproute2 nftables curl util-linux cloud-init systemd"
case "${1:-}" in
    -h | --help)
        echo "usage: npm run setup:linux [-- --help]"
        echo
        echo "Installs, as root on Debian, the packages the guest-network and failover tests use: $PACKAGES."
        echo "Installs only what is missing; does nothing when all are there."
        exit 0
        ;;
    "") ;;
    *)
        echo "setup-linux: unknown argument $1 (usage: npm run setup:linux [-- --help])" >&2
        exit 2
        ;;
esac
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup-linux: not a Debian-based system; install $PACKAGES with its package manager" >&2
    exit 1
fi
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f '${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -z "$missing" ]; then
    exit 0
fi
echo "setup-linux: installing$missing"
apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
