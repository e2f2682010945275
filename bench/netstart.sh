#!/usr/bin/env bash
# Network setup on the start path, two skiff builds A/B: `run --rm --network NET IMAGE true` and
# `run -d -p 127.0.0.1:PORT:80 --network NET IMAGE httpd` (returns once the port forwarder listens), as
# root and rootless (as BENCH_USER). The builds alternate run by run (and which goes first), so machine
# load falls on both alike; medians of wall time per command. A container of each build stays on the
# network meanwhile, so rootless runs measure joining the running rootless network namespace, not
# starting it.
# Run as root: sudo BEFORE=/path/skiff AFTER=/path/skiff bench/netstart.sh   (RUNS=N, default 15;
# MODES="root rootless"). Both binaries must be readable by BENCH_USER (e.g. under /usr/local/lib).
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-15}
MODES=${MODES:-root rootless}
BEFORE=${BEFORE:?set BEFORE to the first skiff binary}
AFTER=${AFTER:?set AFTER to the second skiff binary}

require_root
require_tools busybox
make_workdir

rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,etc,tmp,www}
cp /bin/busybox "$rootfs/bin/"
for applet in sh true sleep httpd; do ln -sf busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/busybox.tar" .
chmod 0644 "$work/busybox.tar"

# skiff of build $1 (before|after) in mode $2 (root|rootless), each with a store of its own.
sk() {
    local build=$1 mode=$2 bin home
    shift 2
    bin=$([ "$build" = before ] && echo "$BEFORE" || echo "$AFTER")
    if [ "$mode" = root ]; then
        "$bin" --root "$work/$build/root" --runroot "$work/$build/run" "$@"
    else
        home=$work/$build/user
        runuser -u "$BENCH_USER" -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run" "$bin" "$@"
    fi
}

teardown() {
    local build mode
    for mode in $MODES; do
        for build in before after; do
            sk "$build" "$mode" rm -f keep web >/dev/null 2>&1 || true
            sk "$build" "$mode" network rm "bench-$build" >/dev/null 2>&1 || true
            [ "$mode" = root ] || sk "$build" "$mode" system migrate >/dev/null 2>&1 || true
        done
    done
    cleanup_workdir
}
trap teardown EXIT

now() { date +%s%N; }
median_ms() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1e6 }'; }

for mode in $MODES; do
    for build in before after; do
        if [ "$mode" = rootless ]; then
            require_bench_user
            install -d -m 0755 -o "$BENCH_USER" "$work/$build" "$work/$build/user" "$work/$build/user/data" "$work/$build/user/config"
            install -d -m 0700 -o "$BENCH_USER" "$work/$build/user/run"
        fi
        sk "$build" "$mode" import "$work/busybox.tar" bb >/dev/null
        sk "$build" "$mode" network create "bench-$build" >/dev/null
        sk "$build" "$mode" run -d --name keep --network "bench-$build" bb sleep 100000 >/dev/null
        sk "$build" "$mode" run --rm --network "bench-$build" bb true # warm-up
    done

    : >"$work/$mode-run-before"; : >"$work/$mode-run-after"; : >"$work/$mode-port-before"; : >"$work/$mode-port-after"
    for i in $(seq 1 "$RUNS"); do
        order="before after"
        [ $((i % 2)) = 0 ] && order="after before"
        for build in $order; do
            port=$([ "$build" = before ] && echo 18090 || echo 18091)
            t0=$(now)
            sk "$build" "$mode" run --rm --network "bench-$build" bb true
            t1=$(now)
            sk "$build" "$mode" run -d --name web -p "127.0.0.1:$port:80" --network "bench-$build" bb httpd -f -p 80 >/dev/null
            t2=$(now)
            sk "$build" "$mode" rm -f -t 0 web >/dev/null
            echo $((t1 - t0)) >>"$work/$mode-run-$build"
            echo $((t2 - t1)) >>"$work/$mode-port-$build"
        done
    done

    say "$mode, $RUNS runs each, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "run --rm --network NET bb true: before $(median_ms <"$work/$mode-run-before") ms, after $(median_ms <"$work/$mode-run-after") ms (medians)"
    echo "run -d -p 127.0.0.1:PORT:80 --network NET bb httpd: before $(median_ms <"$work/$mode-port-before") ms, after $(median_ms <"$work/$mode-port-after") ms (medians)"
done
