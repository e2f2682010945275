#!/usr/bin/env bash
# Installs every Debian package skiff's build and test suite need, only the missing ones. Run as root;
# idempotent; never reads stdin. The .NET SDK is checked, not installed, here (install.sh installs it).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
    # build: NativeAOT links with the system toolchain; the native entry stage is C
    gcc libc6-dev zlib1g-dev
    # build: pasta from Debian 13's verified source (passt.sh)
    make patch gpgv xz-utils debian-archive-keyring
    # skiff at runtime
    uidmap passt slirp4netns fuse-overlayfs fuse3 nftables util-linux ca-certificates
    # tests: starter images, registries, certificates, reference tools compared against
    iproute2 procps busybox-static docker-registry skopeo umoci podman crun runc conmon catatonit openssl apache2-utils curl
    # tests: a private bus daemon for the systemd D-Bus client, and a real systemd user manager (with its
    # bus through dbus.socket) started in a namespace of its own: these machines are not booted with systemd
    dbus-daemon systemd dbus-user-session
    # tests: the --systemd E2E tests boot a real systemd in a Debian image built once (systemd-image.sh)
    debootstrap
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# A newer pasta in skiff's helper directory; without it (no mirror) skiff and the tests use /usr/bin/pasta.
"$(dirname "$0")/passt.sh" || echo "warning: tests run with the system pasta"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK (dotnet) is not installed; run ./install.sh first, it installs it" >&2
    exit 1
fi
