#!/usr/bin/env bash
# Container start+stop: `skiff run --rm IMAGE true` vs `podman run --rm IMAGE true` vs `crun run` of an
# equivalent bundle, as root and rootless (as BENCH_USER), with each engine's default network and with
# `--network none`. Targets (issues 3 and 4): skiff <= 0.15 x podman and <= 2 x crun.
# Run as root: sudo bench/run.sh   (RUNS=N, default 20; MODES="root rootless"; NETWORKS="default none";
# PER_RUN_RUNUSER=1: rootless runs each switched by runuser, as before session 11; ROUNDS=N, default 20,
# 0 to skip: the interleaved pass)
#
# Two passes per case, both printed: hyperfine (RUNS runs of one engine, then the next; ratios of the means),
# then bench/interleave.sh (ROUNDS rounds, each running every engine once in a random order; ratios of the
# medians). On a shared machine the load changes from minute to minute: hyperfine's consecutive blocks can put
# a build on one engine and not the other, and its mean carries the slow tail; the interleaved pass gives
# every engine the same load and its median the typical start.
#
# How the other engines are made to run here (see README.md):
# - podman 4.3 only starts containers on this machine with `--runtime runc` (crun refuses the hybrid
#   cgroup layout) and explicit ulimits (it asks for an RLIMIT_NPROC/NOFILE the kernel refuses).
# - crun 1.8 refuses hybrid cgroups ("cgroups in hybrid mode not supported"): it runs in a private mount
#   namespace where an empty tmpfs hides /sys/fs/cgroup/unified, so it sees a plain v1 layout. Rootless,
#   that namespace is a user namespace of the bench user (`unshare -Urm`), as the runtime a rootless
#   engine starts runs in one. The `unshare` and `sh` starts are part of crun's measured time.
# - With the default network, skiff's container is on pasta, so the equivalent crun run is on pasta too
#   ("crun+pasta", bench/crun-in-pasta.sh: a namespace file, pasta with skiff's options, then crun joins
#   it); the 2 x crun target is judged against that. Plain crun (loopback only) is printed beside it for
#   reference. Its pasta is the one skiff runs (find_skiff_pasta); PASTA=PATH overrides it.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-20}
MODES=${MODES:-root rootless}
NETWORKS=${NETWORKS:-default none}

require_root
require_tools hyperfine jq busybox
require_skiff
require_verb import run
make_workdir
# The interleaving timer, where the bench user can read it (the checkout may be under /root).
install -m 0755 "$bench_dir/interleave.sh" "$work/interleave.sh"

# The starter image install.sh builds; made here too so the benchmark stands alone.
say "building a busybox root filesystem"
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,etc,proc,sys,tmp,root}
cp /bin/busybox "$rootfs/bin/"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/busybox.tar" .
chmod 0644 "$work/busybox.tar"

hard_nofile=$(ulimit -Hn)
podman_flags="--runtime runc --ulimit nofile=$hard_nofile:$hard_nofile --ulimit nproc=32768:32768"

# The target of skiff's ratio to ENGINE with NETWORK (empty: a reference only); $3 is the crun+pasta command, if any.
ratio_target() {
    case "$1" in
        crun+pasta) echo 2 ;;
        # With the default network plain crun has no network helper: a reference, not the target.
        crun) if [ "$2" = default ] && [ -n "$3" ]; then echo ""; else echo 2; fi ;;
        *) echo 0.15 ;;
    esac
}

bench_mode() {
    local mode=$1 run_as=() skiff_store podman_store crun_root bundle=$work/bundle-$1 prefix=""
    if [ "$mode" = rootless ]; then
        require_bench_user
        run_as=(as_user)
        as_user true # creates the user's private HOME/XDG directories
        skiff_store=""
        podman_store="--root $work/user/podman-root --runroot $work/user/run/podman"
        crun_root="$work/user/run/crun"
        # hyperfine itself runs as the bench user (below), as a user runs an engine from a shell. With
        # PER_RUN_RUNUSER=1 every run is switched by its own runuser instead (sessions 1-10's numbers): a
        # PAM session per run, which costs ~20 ms here and is no part of any engine (README, session 11).
        if [ "${PER_RUN_RUNUSER:-0}" = 1 ]; then
            prefix="runuser -u $BENCH_USER -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$work/user XDG_DATA_HOME=$work/user/data XDG_CONFIG_HOME=$work/user/config XDG_RUNTIME_DIR=$work/user/run ${helper_env[*]} "
        fi
    else
        skiff_store="--root $work/skiff-root --runroot $work/skiff-run"
        podman_store="--root $work/podman-root --runroot $work/podman-run"
        crun_root="$work/crun-root"
    fi

    say "$mode: importing the image"
    "${run_as[@]}" "$SKIFF" $skiff_store import "$work/busybox.tar" bench-busybox >/dev/null || die "skiff import failed ($mode)"
    "${run_as[@]}" "$SKIFF" $skiff_store run --rm bench-busybox true || die "skiff run --rm bench-busybox true failed ($mode)"

    local have_podman=0
    if command -v podman >/dev/null 2>&1 \
        && "${run_as[@]}" podman $podman_store import "$work/busybox.tar" bench-busybox >/dev/null 2>&1 \
        && "${run_as[@]}" podman $podman_store run $podman_flags --rm bench-busybox true >/dev/null 2>&1; then
        have_podman=1
    else
        echo "podman cannot run here ($mode): no podman comparison"
    fi

    local crun_cmd="" crun_pasta_cmd=""
    if command -v crun >/dev/null 2>&1; then
        # An equivalent bundle: crun's default spec (made where crun runs, so a rootless spec maps the
        # namespace's own root) on the same root filesystem, running /bin/true, no network namespace
        # helper (crun's spec has a private network namespace with only loopback, like --network none).
        mkdir -p "$bundle/rootfs"
        tar -C "$bundle/rootfs" -xf "$work/busybox.tar"
        local unshare_flags=-m
        if [ "$mode" = rootless ]; then
            unshare_flags=-Urm
            chown -R "$BENCH_USER" "$bundle"
            as_user unshare -Urm sh -c "cd '$bundle' && crun spec --rootless"
        else
            (cd "$bundle" && crun spec)
        fi
        jq '.process.terminal = false | .process.args = ["/bin/true"]' "$bundle/config.json" >"$bundle/config.json.new"
        mv "$bundle/config.json.new" "$bundle/config.json"
        [ "$mode" = rootless ] && chown -R "$BENCH_USER" "$bundle"
        crun_cmd="unshare $unshare_flags sh -c 'mount -t tmpfs none /sys/fs/cgroup/unified && exec crun --root $crun_root run --bundle $bundle bench-\$\$'"
        if ! "${run_as[@]}" bash -c "$crun_cmd" >/dev/null 2>&1; then
            echo "crun cannot run the bundle here ($mode): no crun comparison"
            crun_cmd=""
        elif [ -x "$PASTA" ]; then
            # The same bundle joining a namespace that pasta serves (bench/crun-in-pasta.sh).
            local pasta_bundle=$work/bundle-$mode-pasta
            mkdir -p "$pasta_bundle"
            ln -s "$bundle/rootfs" "$pasta_bundle/rootfs"
            local ns_file=$work/netns-root
            [ "$mode" = rootless ] && ns_file=$work/user/run/netns-pasta
            jq --arg ns "$ns_file" '.root.path = "rootfs" | .linux.namespaces |= map(if .type == "network" then .path = $ns else . end)' \
                "$bundle/config.json" >"$pasta_bundle/config.json"
            [ "$mode" = rootless ] && chown -R "$BENCH_USER" "$pasta_bundle"
            local in_pasta="bash $(cd "$(dirname "$0")" && pwd)/crun-in-pasta.sh $PASTA $crun_root $pasta_bundle $ns_file"
            [ "$mode" = rootless ] && in_pasta="unshare -Urm $in_pasta"
            crun_pasta_cmd="$in_pasta"
            if ! "${run_as[@]}" bash -c "$crun_pasta_cmd" >/dev/null 2>&1; then
                echo "crun cannot run the bundle on pasta here ($mode): no crun+pasta comparison"
                crun_pasta_cmd=""
            fi
        fi
    fi

    local network
    for network in $NETWORKS; do
        local flag="" names=(skiff) commands=()
        [ "$network" = none ] && flag="--network none"
        commands+=("$prefix$SKIFF $skiff_store run --rm $flag bench-busybox true")
        if [ "$have_podman" = 1 ]; then
            names+=(podman)
            commands+=("${prefix}podman $podman_store run $podman_flags --rm $flag bench-busybox true")
        fi
        if [ -n "$crun_cmd" ]; then
            names+=(crun)
            commands+=("${prefix}bash -c \"$crun_cmd\"")
        fi
        if [ "$network" = default ] && [ -n "$crun_pasta_cmd" ]; then
            names+=(crun+pasta)
            commands+=("$prefix$crun_pasta_cmd")
        fi

        say "$mode, $network network: hyperfine, $RUNS runs each (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
        local results=$work/run-$mode-$network.json hyperfine_as=()
        if [ "$mode" = rootless ] && [ -z "$prefix" ]; then
            results=$work/user/run-$mode-$network.json
            hyperfine_as=(as_user)
        fi
        "${hyperfine_as[@]}" hyperfine --warmup 2 --runs "$RUNS" --export-json "$results" "${commands[@]}"
        local skiff_mean i
        skiff_mean=$(mean_of "$results" 0)
        for i in $(seq 1 $((${#names[@]} - 1))); do
            print_ratio "run --rm true ($mode, $network network)" "$skiff_mean" "${names[$i]}" "$(mean_of "$results" "$i")" \
                "$(ratio_target "${names[$i]}" "$network" "$crun_pasta_cmd")"
        done

        [ "$ROUNDS" -gt 0 ] || continue
        say "$mode, $network network: interleaved, $ROUNDS rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
        local runs=$work/interleaved-$mode-$network.txt pairs=()
        [ ${#hyperfine_as[@]} -gt 0 ] && runs=$work/user/interleaved-$mode-$network.txt
        for i in "${!names[@]}"; do pairs+=("${names[$i]}" "${commands[$i]}"); done
        "${hyperfine_as[@]}" bash "$work/interleave.sh" "$ROUNDS" 2 "$runs" "${pairs[@]}"
        local skiff_median
        skiff_median=$(median_of_runs "$runs" skiff)
        for i in $(seq 1 $((${#names[@]} - 1))); do
            print_ratio "run --rm true ($mode, $network network), medians of $ROUNDS interleaved rounds" "$skiff_median" \
                "${names[$i]}" "$(median_of_runs "$runs" "${names[$i]}")" "$(ratio_target "${names[$i]}" "$network" "$crun_pasta_cmd")"
        done
    done
}

# skiff's default network is pasta: which one (its helper directory's build, else the system's) matters.
find_skiff_pasta --root "$work/info-root" --runroot "$work/info-run"
PASTA=${PASTA:-$pasta_bin}
for mode in $MODES; do
    bench_mode "$mode"
done
