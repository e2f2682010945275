#!/usr/bin/env bash
# crun with pasta, the way an engine runs a container on pasta's network: a network namespace bound to a
# file, pasta connected to it with the options skiff passes for its default network, then `crun run` of a
# bundle whose spec joins that namespace (linux.namespaces network path), then pasta stopped and the
# namespace removed. Used by run.sh as the crun side of the default-network comparison; every step is
# part of the measured time, as every step is part of skiff's.
# Usage: crun-in-pasta.sh PASTA CRUN_ROOT BUNDLE NETNS_FILE
# Runs as root, or as a user inside `unshare -Urm` (run.sh does that for rootless).
set -eu
pasta=$1 crun_root=$2 bundle=$3 ns=$4
: >"$ns"
unshare --net="$ns" true
# pasta's SIGPIPE must start at its default (see PastaNetwork.StartAsync); --runas 0 keeps it from
# switching to nobody, which could not open the namespace file (skiff passes the same as root).
env --default-signal=PIPE "$pasta" --config-net --quiet --pid "$ns.pid" --runas 0 --dns-forward 169.254.1.1 \
    --no-map-gw -t none -u none -T none -U none --netns "$ns"
status=0
# crun 1.8 refuses the hybrid cgroup layout: hide the unified hierarchy as run.sh does for plain crun.
unshare -m sh -c "mount -t tmpfs none /sys/fs/cgroup/unified && exec crun --root '$crun_root' run --bundle '$bundle' bench-\$\$" || status=$?
kill "$(cat "$ns.pid")" 2>/dev/null || true
umount -l "$ns" # pasta may still hold it for a moment after the kill; skiff does not wait for pasta to exit either
rm -f "$ns" "$ns.pid"
exit "$status"
