#!/usr/bin/env bash
# Opens the devices rootless networking and fuse need to unprivileged users. Run as root; idempotent.
# On these test machines /dev/net/tun and /dev/fuse come up 0600 (see DESIGN.md), so pasta,
# slirp4netns and fuse-overlayfs fail with EACCES for every user but root. Normal distributions ship
# them 0666 (udev rules); this makes the test machine look like one.
set -euo pipefail

if [ ! -e /dev/net/tun ]; then
    mkdir -p /dev/net
    mknod -m 0666 /dev/net/tun c 10 200
fi
if [ ! -e /dev/fuse ]; then
    mknod -m 0666 /dev/fuse c 10 229
fi
chmod 0666 /dev/net/tun /dev/fuse

# Debian 11 and older gate unprivileged user namespaces behind this switch; 12 defaults to on.
if [ -f /proc/sys/kernel/unprivileged_userns_clone ] && [ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" = 0 ]; then
    echo 1 >/proc/sys/kernel/unprivileged_userns_clone
fi
