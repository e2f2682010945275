#!/usr/bin/env bash
# Network throughput of containers (issue 4), as root and rootless (as BENCH_USER):
#   pull:    container -> host. A busybox httpd on the host serves a SIZE_MB file; the container downloads
#            it with busybox wget to /dev/null through its network.
#   publish: host -> published port. busybox httpd in the container serves the same file from a volume,
#            published with -p 127.0.0.1:PORT:80 and -p PORT2:80; the host downloads it with curl to
#            /dev/null through 127.0.0.1:PORT and through its own non-loopback address at PORT2, and a
#            client on another network (a network namespace behind a veth pair, "remote") through the
#            host's address on that link at PORT2. pasta copies non-loopback clients' bytes through its tap
#            device and shows the container their address; skiff serves IPv4 ports of pasta containers with
#            its own splice forwarder, which shows the container the same addresses.
# Engines: skiff (default network = pasta, --network slirp4netns, a user-defined network), podman 4.3
# (default network; rootless that is slirp4netns with rootlessport for -p; also slirp4netns's own port
# forwarder), and pasta run by hand (pasta spawning the server or the downloading shell itself; the same
# pasta binary skiff runs, which may be the one tests/setup/passt.sh built: the output names it).
# Target (issue 4): skiff's default network at least as fast as the best of the others.
# Run as root: sudo bench/net.sh   (RUNS=N timed transfers per case, default 7, after one checked warm-up;
# SIZE_MB, default 100; MODES="root rootless"; CASES="pull publish")
#
# Only the transfers are timed, never container start: inside the container with busybox adjtimex
# (microseconds; busybox date has no %N), on the host with curl's time_total. The result of a case is
# the median of its runs, in MB/s (10^6 bytes). The machine may be shared: the load average is printed
# with every case.
#
# One engine at a time: the kernel charges pipe buffers to their user, and once an unprivileged user holds
# more than fs.pipe-user-pages-soft (16,384 pages) its new pipes get two pages and cannot grow; each pasta
# holds ~35 pipes (~8,200 pages). So no engine's helpers run while another engine is measured: pull runs
# one container at a time, and publish starts one server per round and engine, warms up every path once,
# times one download per client, and stops the server (waiting until its ports are free) before the next
# engine. Rounds interleave the engines, so a change in the machine's load hits them alike. Rootless, the
# pipes the bench user's processes hold while measuring are printed (most seen per engine); BENCH_USER
# should be a user nothing else runs as (the test suite's skifftest runs other pastas).
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-7}
SIZE_MB=${SIZE_MB:-100}
MODES=${MODES:-root rootless}
CASES=${CASES:-pull publish}
size=$((SIZE_MB * 1000000))

require_root
require_tools busybox curl ip jq
require_skiff
require_verb run
make_workdir

# The host end of "pull": an address of the host that is neither loopback nor the container's own (pasta
# copies the host's address into the container, so connecting to that would stay inside the container).
# A bridge without ports holds it: its local route exists while the bridge is up.
host_addr=198.18.0.1
bridge=skbench$$
host_ip=$(ip -4 -o addr show scope global | awk '$2 != "'"$bridge"'" { sub("/.*", "", $4); print $4; exit }')
skiff_net=nbnet$$
# The "remote" client: a network namespace (held by a process, not an ip-netns mount that other programs'
# mount namespaces could take away) whose veth peer on the host has remote_host_addr.
remote_link=nbr$$
remote_host_addr=198.19.255.1
# The processes below PID, deepest first (pasta's command is not in pasta's process group).
descendants() {
    local child
    for child in $(pgrep -P "$1"); do
        descendants "$child"
        echo "$child"
    done
}

stop_tree() {
    local pids
    pids="$(descendants "$1") $1"
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

net_cleanup() {
    local id
    for id in ${started_ids:-}; do stop_tree "$id"; done
    [ -n "${httpd_pid:-}" ] && kill "$httpd_pid" 2>/dev/null || true
    ip link del "$bridge" 2>/dev/null || true
    ip link del "$remote_link" 2>/dev/null || true
    [ -n "${remote_holder:-}" ] && kill "$remote_holder" 2>/dev/null || true
    if [ -n "${work:-}" ]; then
        "$SKIFF" --root "$work/skiff-root" --runroot "$work/skiff-run" rm -f -a >/dev/null 2>&1 || true
        "$SKIFF" --root "$work/skiff-root" --runroot "$work/skiff-run" network rm "$skiff_net" >/dev/null 2>&1 || true
        [ -d "$work/user" ] && as_user "$SKIFF" rm -f -a >/dev/null 2>&1 || true
        [ -d "$work/user" ] && as_user "$SKIFF" network rm "$skiff_net" >/dev/null 2>&1 || true
        [ -d "$work/user" ] && as_user podman --root "$work/user/podman-root" --runroot "$work/user/run/podman" rm -f -a >/dev/null 2>&1 || true
        podman --root "$work/podman-root" --runroot "$work/podman-run" rm -f -a >/dev/null 2>&1 || true
    fi
    # After podman's last command, which recreates its --tmpdir.
    rm -rf "/tmp/nb-podman-$$"
    cleanup_workdir
}
trap net_cleanup EXIT

say "building a busybox image and a $SIZE_MB MB file"
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,etc,proc,sys,tmp,root}
cp /bin/busybox "$rootfs/bin/"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/busybox.tar" .
chmod 0644 "$work/busybox.tar"
install -d -m 0755 "$work/www" "$work/scripts"
head -c "$size" /dev/urandom >"$work/www/blob"
echo ok >"$work/www/ping"
chmod 0644 "$work/www/blob" "$work/www/ping"

# The downloading side inside a container (or pasta's namespace): one warm-up download whose size is
# checked, then N timed ones; prints "start end" in seconds per run.
cat >"$work/scripts/pull.sh" <<'SH'
url=$1 n=$2 size=$3
now() { busybox adjtimex | busybox awk '/tv_sec/ { s = $2 } /tv_usec/ { u = $2 } END { printf "%d.%06d\n", s, u }'; }
got=$(busybox wget -q -O - "$url" | busybox wc -c) || exit 1
[ "$got" = "$size" ] || { echo "warm-up download got $got bytes, not $size" >&2; exit 1; }
i=0
while [ "$i" -lt "$n" ]; do
    t0=$(now)
    busybox wget -q -O /dev/null "$url" || exit 1
    t1=$(now)
    echo "$t0 $t1"
    i=$((i + 1))
done
SH
chmod 0755 "$work/scripts/pull.sh"

ip link add "$bridge" type bridge
ip addr add "$host_addr/32" dev "$bridge"
ip link set "$bridge" up
unshare --net sleep infinity &
remote_holder=$!
for _ in $(seq 1 100); do
    [ "$(readlink "/proc/$remote_holder/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
    sleep 0.01
done
remote() { nsenter -t "$remote_holder" -n "$@"; }
ip link add "$remote_link" type veth peer name eth0 netns "$remote_holder"
ip addr add "$remote_host_addr/30" dev "$remote_link"
ip link set "$remote_link" up
remote ip addr add 198.19.255.2/30 dev eth0
remote ip link set eth0 up
remote ip link set lo up
remote ip route add default via "$remote_host_addr"
host_port=$((20000 + RANDOM % 20000))
busybox httpd -f -p "$host_addr:$host_port" -h "$work/www" &
httpd_pid=$!
pull_url=http://$host_addr:$host_port/blob
hard_nofile=$(ulimit -Hn)
podman_flags="--runtime runc --ulimit nofile=$hard_nofile:$hard_nofile --ulimit nproc=32768:32768"

results=$work/results
: >"$results"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# record MODE CASE ENGINE [LABEL] < seconds-per-run: prints the runs and the median as MB/s and keeps the result.
record() {
    local mode=$1 kase=$2 engine=$3 label=${4:-$3} secs med
    secs=$(cat)
    [ -n "$secs" ] || { echo "   $label: no result"; return; }
    med=$(echo "$secs" | median)
    awk -v e="$label" -v m="$med" -v b="$size" -v l="$(cut -d' ' -f1 /proc/loadavg)" -v r="$(echo "$secs" | awk -v b="$size" '{ printf "%s%.0f", (NR > 1 ? " " : ""), b / $1 / 1e6 }')" \
        'BEGIN { printf "   %-48s median %7.1f MB/s  (runs: %s; load %s)\n", e, b / m / 1e6, r, l }'
    echo "$mode $kase $engine $(awk -v b="$size" -v m="$med" 'BEGIN { printf "%.1f", b / m / 1e6 }')" >>"$results"
}

# wait_url TARGET PATH: waits until http://TARGET/PATH answers (the server was just started); TARGET as for client_for.
wait_url() {
    local i
    for i in $(seq 1 100); do
        client_for "$1" curl -fs -o /dev/null --max-time 2 "http://${1#remote:}$2" && return 0
        sleep 0.1
    done
    return 1
}

# client_for TARGET COMMAND...: runs COMMAND on the host, or in the remote client's namespace for remote:ADDR:PORT.
client_for() {
    local target=$1
    shift
    case $target in
        remote:*) remote "$@" ;;
        *) "$@" ;;
    esac
}

free_port() {
    local port
    for _ in $(seq 1 20); do
        port=$((20000 + RANDOM % 20000))
        ss -ltnH "sport = :$port" | grep -q . || { echo "$port"; return; }
    done
    die "no free port"
}

# The engines' runs are interleaved (one run of each, RUNS rounds), so a change in the machine's load
# during the benchmark hits all of them alike.
bench_mode() {
    local mode=$1 run_as=() skiff_store=() podman_store=()
    if [ "$mode" = rootless ]; then
        require_bench_user
        run_as=(as_user)
        as_user true
        # A short --tmpdir: slirp4netns's API socket goes there, and socket paths end at 108 bytes.
        install -d -m 0700 -o "$BENCH_USER" "/tmp/nb-podman-$$"
        podman_store=(--root "$work/user/podman-root" --runroot "$work/user/run/podman" --tmpdir "/tmp/nb-podman-$$")
    else
        skiff_store=(--root "$work/skiff-root" --runroot "$work/skiff-run")
        podman_store=(--root "$work/podman-root" --runroot "$work/podman-run")
    fi
    local skiff=("${run_as[@]}" "$SKIFF" "${skiff_store[@]}")
    local podman=("${run_as[@]}" podman "${podman_store[@]}")
    "${skiff[@]}" import "$work/busybox.tar" bench-busybox >/dev/null || die "skiff import failed ($mode)"
    "${skiff[@]}" network create "$skiff_net" >/dev/null || die "skiff network create failed ($mode)"
    local have_podman=0
    if command -v podman >/dev/null 2>&1 && "${podman[@]}" import "$work/busybox.tar" bench-busybox >/dev/null 2>&1 \
        && "${podman[@]}" run $podman_flags --rm bench-busybox true >/dev/null 2>&1; then
        have_podman=1
        echo "podman ($mode): network backend $("${podman[@]}" info --format '{{.Host.NetworkBackend}}' 2>/dev/null)"
    else
        echo "podman cannot run here ($mode): no podman comparison"
    fi
    local mount=(-v "$work/scripts:/bench:ro")
    local serve=(-v "$work/www:/www:ro" bench-busybox httpd -f -p 80 -h /www)
    # As root, pasta would switch to nobody and then fail to map its user namespace: --runas 0:0, as skiff.
    local -a pastas=("$pasta_bin" --quiet --config-net -u none -T none -U none)
    [ "$mode" = rootless ] || pastas+=(--runas 0:0)
    local -A label=(
        [skiff]="skiff (pasta, default)" [skiff-slirp]="skiff --network slirp4netns" [skiff-net]="skiff --network NAME (user net)"
        [podman]="podman (default)" [podman-slirp]="podman --network slirp4netns" [pasta]="pasta by hand")
    local keys=(skiff skiff-slirp skiff-net) key r
    if [ "$have_podman" = 1 ]; then
        keys+=(podman)
        # Rootless podman's default is slirp4netns already; for published ports, slirp4netns's own forwarder.
        [ "$mode" = rootless ] && label[podman-slirp]="podman slirp4netns:port_handler=slirp4netns"
        keys+=(podman-slirp)
    fi
    keys+=(pasta)

    if [[ " $CASES " == *" pull "* ]]; then
        say "$mode, pull: container -> host $pull_url, $RUNS rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
        local pull=(sh /bench/pull.sh "$pull_url" 1 "$size")
        pull_once() {
            case $1 in
                skiff) "${skiff[@]}" run --rm "${mount[@]}" bench-busybox "${pull[@]}" ;;
                skiff-slirp) "${skiff[@]}" run --rm --network slirp4netns "${mount[@]}" bench-busybox "${pull[@]}" ;;
                skiff-net) "${skiff[@]}" run --rm --network "$skiff_net" "${mount[@]}" bench-busybox "${pull[@]}" ;;
                podman) "${podman[@]}" run $podman_flags --rm "${mount[@]}" bench-busybox "${pull[@]}" ;;
                podman-slirp) "${podman[@]}" run $podman_flags --rm --network slirp4netns "${mount[@]}" bench-busybox "${pull[@]}" ;;
                pasta) "${run_as[@]}" "${pastas[@]}" -t none -- sh "$work/scripts/pull.sh" "$pull_url" 1 "$size" ;;
            esac
        }
        local out
        for r in $(seq 1 "$RUNS"); do
            for key in "${keys[@]}"; do
                [ -e "$work/failed-pull-$mode-$key" ] && continue
                if out=$(pull_once "$key" 2>"$work/err"); then
                    echo "$out" | awk 'NF == 2 { printf "%.6f\n", $2 - $1 }' >>"$work/pull-$mode-$key"
                else
                    echo "   ${label[$key]}: failed: $(tail -3 "$work/err" | tr '\n' ' ')"
                    touch "$work/failed-pull-$mode-$key"
                fi
            done
        done
        for key in "${keys[@]}"; do
            [ -e "$work/failed-pull-$mode-$key" ] || record "$mode" pull "${label[$key]}" <"$work/pull-$mode-$key"
        done
    fi

    if [[ " $CASES " == *" publish "* ]]; then
        say "$mode, publish: host -> published port, $RUNS rounds, one server at a time (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
        # Each server is published twice: on 127.0.0.1 (issue 4's case) and on every address (reached here
        # through the host's own address, as a client elsewhere would, and from the remote namespace).
        local port port_all pasta_group="" target line ok
        # start_server KEY: starts KEY's server on fresh ports (port, port_all).
        start_server() {
            port=$(free_port)
            port_all=$(free_port)
            local ports=(-p "127.0.0.1:$port:80" -p "$port_all:80")
            case $1 in
                skiff) "${skiff[@]}" run -d --name nb-skiff "${ports[@]}" "${serve[@]}" ;;
                skiff-slirp) "${skiff[@]}" run -d --name nb-skiff-slirp --network slirp4netns "${ports[@]}" "${serve[@]}" ;;
                skiff-net) "${skiff[@]}" run -d --name nb-skiff-net --network "$skiff_net" "${ports[@]}" "${serve[@]}" ;;
                podman) "${podman[@]}" run $podman_flags -d --name nb-podman "${ports[@]}" "${serve[@]}" ;;
                podman-slirp)
                    local handler=""
                    [ "$mode" = rootless ] && handler=:port_handler=slirp4netns
                    "${podman[@]}" run $podman_flags -d --name nb-podman-slirp --network "slirp4netns$handler" "${ports[@]}" "${serve[@]}" ;;
                pasta)
                    local setsid_as=(setsid)
                    [ "$mode" = rootless ] && setsid_as+=(runuser -u "$BENCH_USER" --)
                    # Port 8080: as root, pasta's command runs unmapped in its user namespace, where 80 is privileged.
                    "${setsid_as[@]}" "${pastas[@]}" -t "127.0.0.1/$port:8080" -t "$port_all:8080" -- busybox httpd -f -p 8080 -h "$work/www" &
                    pasta_group=$!
                    started_ids="${started_ids:-} $pasta_group" ;;
            esac >/dev/null 2>"$work/err"
        }
        # stop_server KEY: stops it and waits until its helpers (and their pipes) are gone.
        stop_server() {
            case $1 in
                skiff*) "${skiff[@]}" rm -f "nb-$1" >/dev/null 2>&1 || true ;;
                podman*) "${podman[@]}" rm -f "nb-$1" >/dev/null 2>&1 || true ;;
                pasta)
                    # pasta's command runs as pid 1 of a pid namespace of its own, reparented away from pasta: it is
                    # found as the holder of the listening socket it inherited (the port is this script's); as a pid
                    # namespace's init it ignores SIGTERM from outside.
                    local holders
                    holders=$(ss -ltnpH "sport = :$port_all" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
                    stop_tree "$pasta_group"
                    # shellcheck disable=SC2086
                    [ -z "$holders" ] || kill -9 $holders 2>/dev/null || true
                    started_ids=${started_ids/ $pasta_group/} ;;
            esac
            local i
            for i in $(seq 1 100); do
                ! ss -ltnH "sport = :$port_all" | grep -q . && ! ss -ltnH "sport = :$port" | grep -q . && break
                sleep 0.05
            done
        }
        local failed=()
        for r in $(seq 1 "$RUNS"); do
            for key in "${keys[@]}"; do
                [[ " ${failed[*]} " == *" $key "* ]] && continue
                if ! start_server "$key"; then
                    echo "   ${label[$key]}: failed to start: $(tail -3 "$work/err" | tr '\n' ' ')"
                    failed+=("$key")
                    continue
                fi
                ok=1
                # Warm-up: every path answers and delivers the whole file once before the timed downloads.
                for target in "127.0.0.1:$port" "$host_ip:$port_all" "remote:$remote_host_addr:$port_all"; do
                    if ! wait_url "$target" /ping; then
                        echo "   ${label[$key]} via ${target%:*}: the published port does not answer"
                        ok=0
                    elif line=$(client_for "$target" curl -s -o /dev/null -w '%{size_download}' "http://${target#remote:}/blob") && [ "$line" != "$size" ]; then
                        echo "   ${label[$key]} via ${target%:*}: warm-up download got $line bytes, not $size"
                        ok=0
                    fi
                done
                if [ "$ok" = 1 ]; then
                    [ "$mode" = rootless ] && user_pipe_pages "$BENCH_USER" >>"$work/pipes-$mode-$key"
                    for target in "127.0.0.1:$port" "$host_ip:$port_all" "remote:$remote_host_addr:$port_all"; do
                        if line=$(client_for "$target" curl -s -o /dev/null -w '%{size_download} %{time_total}' "http://${target#remote:}/blob"); then
                            echo "$line" | awk -v s="$size" '$1 == s { print $2 }' >>"$work/publish-$mode-$key-${target%:*}"
                        else
                            echo "   ${label[$key]} via ${target%:*}: round $r: the download failed (curl exit $?, got ${line% *} bytes)"
                        fi
                    done
                else
                    failed+=("$key")
                fi
                stop_server "$key"
            done
        done
        if [ "$mode" = rootless ]; then
            for key in "${keys[@]}"; do
                [ -s "$work/pipes-$mode-$key" ] || continue
                awk -v e="${label[$key]}" -v soft="$(cat /proc/sys/fs/pipe-user-pages-soft)" '
                    $2 > max { max = $2; pipes = $1 } END { printf "   %-48s %s pipes, %s pages of %s (most seen while measuring)\n", e ":", pipes, max, soft }' "$work/pipes-$mode-$key"
            done
        fi
        for addr in 127.0.0.1 "$host_ip" "remote:$remote_host_addr"; do
            for key in "${keys[@]}"; do
                [ -s "$work/publish-$mode-$key-$addr" ] || continue
                record "$mode" "publish-$addr" "${label[$key]}" "${label[$key]} via $addr" <"$work/publish-$mode-$key-$addr"
            done
        done
    fi
    "${skiff[@]}" network rm "$skiff_net" >/dev/null 2>&1 || true
}

find_skiff_pasta --root "$work/info-root" --runroot "$work/info-run"
for mode in $MODES; do
    bench_mode "$mode"
done

say "summary: MB/s (median), and skiff's default network against the best of podman and pasta by hand"
awk '
    {
        engine = $3; for (i = 4; i < NF; i++) engine = engine " " $i
        key = $1 " " $2
        if (!(key in seen)) { seen[key] = 1; order[++n] = key }
        line[key] = line[key] sprintf("   %-40s %8.1f\n", engine, $NF)
        if (engine ~ /^skiff \(pasta/) skiffv[key] = $NF
        else if (engine !~ /^skiff/ && $NF > best[key]) { best[key] = $NF; bestn[key] = engine }
    }
    END {
        for (i = 1; i <= n; i++) {
            k = order[i]
            printf "%s\n%s", k, line[k]
            if ((k in skiffv) && (k in best))
                printf "   skiff/best (%s) = %.2f (target >= 1: %s)\n", bestn[k], skiffv[k] / best[k], (skiffv[k] >= best[k] ? "met" : "NOT met")
        }
    }' "$results"
