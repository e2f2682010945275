#!/usr/bin/env bash
# `skiff ps -a` with 100 containers (target, issue 3: under 30 ms) and the idle RSS of one container's
# monitor (target: at most 3 MB; conmon's shown next to it when podman runs here).
# Run as root: sudo bench/ps.sh   (RUNS=N, COUNT=N)
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-30}
COUNT=${COUNT:-100}

require_root
require_tools hyperfine jq busybox
require_skiff
require_verb import create ps run inspect rm
make_workdir

store="--root $work/skiff-root --runroot $work/skiff-run"
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,etc,proc,sys,tmp}
cp /bin/busybox "$rootfs/bin/"
for applet in sh true sleep; do ln -sf busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/busybox.tar" .
"$SKIFF" $store import "$work/busybox.tar" bench-busybox >/dev/null || die "skiff import failed"

say "creating $COUNT containers"
for i in $(seq 1 "$COUNT"); do
    "$SKIFF" $store create --name "bench-$i" bench-busybox true >/dev/null || die "skiff create failed"
done
listed=$("$SKIFF" $store ps -a -q | wc -l)
[ "$listed" -ge "$COUNT" ] || die "skiff ps -a lists $listed containers, expected $COUNT"
hyperfine --warmup 3 --runs "$RUNS" --export-json "$work/ps.json" "$SKIFF $store ps -a"
awk -v m="$(mean_of "$work/ps.json" 0)" 'BEGIN { printf "skiff ps -a ('"$COUNT"' containers): %.1f ms (target < 30 ms: %s)\n", m * 1000, (m < 0.030 ? "met" : "NOT met") }'

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
say "monitor idle RSS"
# The monitor hands a container that runs for a second over to skiff-relay (same pid); with
# SKIFF_MONITOR_NO_RELAY=1 it stays skiff and only trims itself (shown for comparison).
for relay in yes no; do
    if [ "$relay" = no ]; then export SKIFF_MONITOR_NO_RELAY=1; fi
    "$SKIFF" $store run -d --name bench-idle bench-busybox sleep 300 >/dev/null || die "skiff run -d failed"
    sleep 2
    pid=$("$SKIFF" $store inspect --format '{{.State.Pid}}' bench-idle)
    monitor=$(awk '{ print $4 }' "/proc/$pid/stat")
    if [ "$relay" = yes ]; then
        echo "skiff monitor (pid $monitor, now $(cat "/proc/$monitor/comm")): $(rss_kb "$monitor") kB RSS (target <= 3072 kB)"
    else
        echo "skiff monitor without skiff-relay (pid $monitor): $(rss_kb "$monitor") kB RSS"
    fi
    "$SKIFF" $store rm -f bench-idle >/dev/null || true
done
unset SKIFF_MONITOR_NO_RELAY

if command -v podman >/dev/null 2>&1; then
    # podman 4.3 only starts containers here with runc and explicit ulimits (see run.sh).
    podman_flags="--runtime runc --ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=32768:32768"
    pstore="--root $work/podman-root --runroot $work/podman-run"
    if podman $pstore import "$work/busybox.tar" bench-busybox >/dev/null 2>&1 \
        && podman $pstore run -d $podman_flags --name bench-idle bench-busybox sleep 300 >/dev/null 2>&1; then
        sleep 2
        conmon=$(podman $pstore inspect --format '{{.State.ConmonPid}}' bench-idle)
        echo "podman's conmon (pid $conmon): $(rss_kb "$conmon") kB RSS"
        podman $pstore rm -f -t 0 bench-idle >/dev/null 2>&1 || true
    else
        echo "podman cannot run a container here: no conmon comparison"
    fi
fi
