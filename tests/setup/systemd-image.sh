#!/usr/bin/env bash
# Builds the root filesystem of the systemd test image once and caches it as a plain tar (the E2E tests of
# --systemd import it with `skiff import`): Debian bookworm minbase with systemd and systemd-sysv, trimmed, with
# a oneshot unit the tests start. About 2 minutes and 40 MB the first time; later runs find the cache and return.
# Run as root; never reads stdin. Usage: tests/setup/systemd-image.sh [CACHE_DIRECTORY]
set -euo pipefail
exec </dev/null

cache=${1:-/var/cache/skiff-tests}
tar=$cache/systemd-bookworm.tar
# Bumped when the recipe below changes, so a machine that kept an older cache builds it again.
recipe=1
if [ -f "$tar" ] && [ "$(cat "$tar.recipe" 2>/dev/null)" = "$recipe" ]; then
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "error: debootstrap needs root" >&2
    exit 1
fi

# The machine's own Debian mirror (the first non-security one apt uses), else Debian's default.
mirror=$({ grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } \
    | { grep -v security || true; } | head -n1 | tr -d ' ')
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d /var/tmp/skiff-systemd-image.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
echo "building the systemd test image from $mirror (once; cached in $tar)"
if ! debootstrap --variant=minbase --include=systemd,systemd-sysv bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -20 "$work/debootstrap.log" >&2
    echo "error: debootstrap failed" >&2
    exit 1
fi

root=$work/rootfs
# As the slim images are: no docs, man pages, locales or package lists.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
# An image has no machine id of its own: systemd makes one from $container_uuid at boot.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
# What the tests start with systemctl: a oneshot unit that leaves a mark in /run.
cat >"$root/etc/systemd/system/skiff-probe.service" <<'EOF'
[Unit]
Description=skiff test probe

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'echo probe ran > /run/skiff-probe'
EOF

install -d "$cache"
tar --sort=name --numeric-owner -C "$root" -cf "$tar.new" .
mv "$tar.new" "$tar"
echo "$recipe" >"$tar.recipe"
chmod 0644 "$tar" "$tar.recipe"
echo "systemd test image: $tar ($(du -h "$tar" | cut -f1))"
