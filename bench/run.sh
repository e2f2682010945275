#!/usr/bin/env bash
# Container start+stop: `skiff run --rm IMAGE true` vs `podman run --rm IMAGE true` vs `crun run` of an
# equivalent bundle, as root and rootless (as BENCH_USER). Target (issue 3): skiff <= 0.15 x podman and
# <= 2 x crun. Run as root: sudo bench/run.sh   (RUNS=N, default 20; MODES="root rootless")
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-20}
MODES=${MODES:-root rootless}

require_root
require_tools hyperfine jq busybox
require_skiff
require_verb import run
make_workdir

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

bench_mode() {
    local mode=$1 run_as=() skiff_store podman_store crun_root bundle=$work/bundle-$1
    if [ "$mode" = rootless ]; then
        require_bench_user
        run_as=(as_user)
        skiff_store=""
        podman_store="--root $work/user/podman-root --runroot $work/user/run/podman"
        crun_root="$work/user/run/crun"
    else
        skiff_store="--root $work/skiff-root --runroot $work/skiff-run"
        podman_store="--root $work/podman-root --runroot $work/podman-run"
        crun_root="$work/crun-root"
    fi

    say "$mode: importing the image"
    "${run_as[@]}" "$SKIFF" $skiff_store import "$work/busybox.tar" bench-busybox >/dev/null || die "skiff import failed ($mode)"
    "${run_as[@]}" "$SKIFF" $skiff_store run --rm bench-busybox true || die "skiff run --rm bench-busybox true failed ($mode)"

    local names=(skiff) commands=()
    local prefix=""
    [ "$mode" = rootless ] && prefix="runuser -u $BENCH_USER -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$work/user XDG_DATA_HOME=$work/user/data XDG_CONFIG_HOME=$work/user/config XDG_RUNTIME_DIR=$work/user/run "
    commands+=("$prefix$SKIFF $skiff_store run --rm bench-busybox true")

    if command -v podman >/dev/null 2>&1 \
        && "${run_as[@]}" podman $podman_store import "$work/busybox.tar" bench-busybox >/dev/null 2>&1 \
        && "${run_as[@]}" podman $podman_store run --rm bench-busybox true >/dev/null 2>&1; then
        names+=(podman)
        commands+=("${prefix}podman $podman_store run --rm bench-busybox true")
    else
        echo "podman cannot run here ($mode): no podman comparison"
    fi

    if command -v crun >/dev/null 2>&1; then
        # An equivalent bundle: crun's default spec on the same root filesystem, running /bin/true.
        mkdir -p "$bundle"
        mkdir -p "$bundle/rootfs"
        tar -C "$bundle/rootfs" -xf "$work/busybox.tar"
        ( cd "$bundle" && crun spec $([ "$mode" = rootless ] && echo --rootless) )
        jq '.process.terminal = false | .process.args = ["/bin/true"]' "$bundle/config.json" >"$bundle/config.json.new"
        mv "$bundle/config.json.new" "$bundle/config.json"
        if [ "$mode" = rootless ]; then chown -R "$BENCH_USER" "$bundle"; fi
        # No cgroup manager: these machines have a hybrid cgroup layout crun refuses (DESIGN.md).
        local crun_cmd="crun --root $crun_root --cgroup-manager=disabled run --bundle $bundle bench-\$RANDOM"
        if "${run_as[@]}" bash -c "$crun_cmd" >/dev/null 2>&1; then
            names+=(crun)
            commands+=("$prefix bash -c '$crun_cmd'")
        else
            echo "crun cannot run the bundle here ($mode): no crun comparison"
        fi
    fi

    say "$mode: hyperfine, $RUNS runs each"
    hyperfine --warmup 2 --runs "$RUNS" --export-json "$work/run-$mode.json" "${commands[@]}"
    local skiff_mean i
    skiff_mean=$(mean_of "$work/run-$mode.json" 0)
    for i in $(seq 1 $((${#names[@]} - 1))); do
        local target=0.15
        [ "${names[$i]}" = crun ] && target=2
        print_ratio "run --rm true ($mode)" "$skiff_mean" "${names[$i]}" "$(mean_of "$work/run-$mode.json" "$i")" "$target"
    done
}

for mode in $MODES; do
    bench_mode "$mode"
done
