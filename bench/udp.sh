#!/usr/bin/env bash
# Published UDP ports on a user-defined network (session 11, udpports): a sanity check, no target.
# A UDP echo server (bench/udpbench.c, compiled here with gcc -static) runs in a container on a
# user-defined network with -p 127.0.0.1:PORT:9000/udp; from the host, udpbench measures
#   rtt:    one datagram of SIZE bytes at a time, COUNT times: median and 99th percentile round trip;
#   stream: WINDOW datagrams of SIZE bytes kept in flight for SECONDS: echoed MB/s and datagrams/s.
# Paths: skiff's forwarder (127.0.0.1:PORT); as root also the container's address on the bridge, directly
# (the kernel's path without a forwarder, the floor); on skiff's default network (pasta serves UDP ports
# itself) for comparison. MODES="root rootless", RUNS rounds (default 3), the median of each printed.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
MODES=${MODES:-root rootless}
COUNT=${COUNT:-5000}
SECONDS_STREAM=${SECONDS_STREAM:-3}

require_root
require_tools busybox gcc
require_skiff
make_workdir

gcc -static -O2 -o "$work/udpbench" "$bench_dir/udpbench.c"
mkdir -p "$work/rootfs/bin"
cp /bin/busybox "$work/rootfs/bin/"
ln -s busybox "$work/rootfs/bin/sh"
cp "$work/udpbench" "$work/rootfs/bin/"
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
chmod 0644 "$work/rootfs.tar"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
free_port() { local p; while :; do p=$((20000 + RANDOM % 20000)); ss -luanH "sport = :$p" | grep -q . || { echo "$p"; return; }; done; }

# measure LABEL IP PORT: RUNS rounds of rtt (64 and 1400 bytes) and stream (1400 bytes, window 32), medians.
measure() {
    local label=$1 ip=$2 port=$3 r64=() r1400=() p99=() mbps=() dps=() out
    for _ in $(seq "$RUNS"); do
        out=$("$work/udpbench" rtt "$ip" "$port" "$COUNT" 64); r64+=("$(sed 's/.*rtt_median_us=\([^ ]*\).*/\1/' <<<"$out")")
        p99+=("$(sed 's/.*rtt_p99_us=\([^ ]*\).*/\1/' <<<"$out")")
        out=$("$work/udpbench" rtt "$ip" "$port" "$COUNT" 1400); r1400+=("$(sed 's/.*rtt_median_us=\([^ ]*\).*/\1/' <<<"$out")")
        out=$("$work/udpbench" stream "$ip" "$port" "$SECONDS_STREAM" 1400 32)
        mbps+=("$(sed 's/.*echoed_MBps=\([^ ]*\).*/\1/' <<<"$out")"); dps+=("$(sed 's/.*datagrams_per_s=\([^ ]*\).*/\1/' <<<"$out")")
    done
    printf '%-34s rtt64 %7s us (p99 %7s)  rtt1400 %7s us  stream1400 %7s MB/s %8s dgram/s  load %s\n' "$label" \
        "$(printf '%s\n' "${r64[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" "$(printf '%s\n' "${r1400[@]}" | median)" \
        "$(printf '%s\n' "${mbps[@]}" | median)" "$(printf '%s\n' "${dps[@]}" | median)" "$(cut -d' ' -f1 /proc/loadavg)"
}

for mode in $MODES; do
    if [ "$mode" = root ]; then
        sk() { "$SKIFF" --root "$work/root" --runroot "$work/runroot" "$@"; }
    else
        require_bench_user
        sk() { as_user "$SKIFF" "$@"; }
    fi
    say "$mode"
    sk import "$work/rootfs.tar" udpbench >/dev/null
    net=udpb$$
    sk network create "$net" >/dev/null
    port=$(free_port)
    sk run -d --name ub --network "$net" -p "127.0.0.1:$port:9000/udp" udpbench udpbench serve 9000 >/dev/null
    measure "$mode user network, forwarder" 127.0.0.1 "$port"
    if [ "$mode" = root ]; then
        addr=$(sk inspect --format "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" ub)
        measure "$mode user network, direct" "$addr" 9000
    fi
    sk rm -f ub >/dev/null
    port=$(free_port)
    sk run -d --name ub -p "127.0.0.1:$port:9000/udp" udpbench udpbench serve 9000 >/dev/null
    measure "$mode default network (pasta)" 127.0.0.1 "$port"
    sk rm -f ub >/dev/null
    sk network rm "$net" >/dev/null
done
