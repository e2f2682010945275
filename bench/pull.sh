#!/usr/bin/env bash
# Cold pull + unpack of a Debian bookworm minbase image (~30 MB compressed, ~77 MB unpacked) from a
# loopback docker-registry: skiff pull vs podman pull, stores emptied before every run.
# Target (issue 2): skiff <= 0.25 x podman. Run as root: sudo bench/pull.sh   (RUNS=N, default 5)
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}

require_root
require_tools debootstrap skopeo hyperfine jq curl sha256sum
require_skiff
require_verb pull
make_workdir

# --- the image: debootstrap once, cached -------------------------------------------------------------
cache=/var/cache/skiff-bench
rootfs_tar=$cache/bookworm-minbase.tar
if [ ! -f "$rootfs_tar" ]; then
    mirror=$({ grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } | { grep -v security || true; } | head -n1 | tr -d ' ')
    mirror=${mirror:-http://deb.debian.org/debian}
    say "debootstrap --variant=minbase bookworm from $mirror (once; cached in $cache)"
    install -d "$cache"
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    # Trimmed as debian:bookworm-slim is (docs, man pages, locales, caches): ~30 MB gzip, ~77 MB unpacked.
    ( cd "$work/rootfs" && rm -rf var/cache/apt/archives/*.deb var/lib/apt/lists/* usr/share/doc/* usr/share/man/* \
        usr/share/info/* usr/share/locale/* usr/share/lintian usr/share/linda var/cache/debconf/*-old var/log/* var/lib/dpkg/*-old )
    tar --sort=name --numeric-owner -C "$work/rootfs" -cf "$rootfs_tar.new" .
    mv "$rootfs_tar.new" "$rootfs_tar"
    rm -rf "$work/rootfs"
fi

# --- package it as an OCI layout (one gzip layer) and push it to a loopback registry -------------------
say "building the OCI image"
layout=$work/layout
mkdir -p "$layout/blobs/sha256"
blob() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$layout/blobs/sha256/$d"; echo "$d"; }
diff_id=$(sha256sum "$rootfs_tar" | cut -d' ' -f1)
gzip -n -c "$rootfs_tar" >"$work/layer.tar.gz"
layer_size=$(stat -c %s "$work/layer.tar.gz")
layer=$(blob "$work/layer.tar.gz")
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["bash"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff_id" >"$work/config.json"
config_size=$(stat -c %s "$work/config.json")
config=$(blob "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$config" "$config_size" "$layer" "$layer_size" >"$work/manifest.json"
manifest_size=$(stat -c %s "$work/manifest.json")
manifest=$(blob "$work/manifest.json")
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"bookworm"}}]}' \
    "$manifest" "$manifest_size" >"$layout/index.json"

start_registry
image=$registry/bench/debian:bookworm
skopeo copy --insecure-policy --quiet --dest-tls-verify=false "oci:$layout:bookworm" "docker://$image"
echo "image $image: layer $((layer_size / 1024 / 1024)) MB compressed, $(( $(stat -c %s "$rootfs_tar") / 1024 / 1024 )) MB unpacked"

# --- time both, each from an empty store ---------------------------------------------------------------
skiff_store="--root $work/skiff-root --runroot $work/skiff-run"
podman_store="--root $work/podman-root --runroot $work/podman-run --storage-driver overlay"
clean="rm -rf --one-file-system $work/skiff-root $work/skiff-run $work/podman-root $work/podman-run"
commands=("$SKIFF $skiff_store pull -q --tls-verify=false $image")
if command -v podman >/dev/null 2>&1; then
    commands+=("podman $podman_store pull -q --tls-verify=false $image")
fi

# One checked run first, so a failing pull is reported instead of timed.
eval "$clean"
$SKIFF $skiff_store pull -q --tls-verify=false "$image" >/dev/null || die "skiff pull failed (see above)"
# podman unpacks while pulling; a fair comparison needs skiff to have done the same.
store_bytes=$(du -sb "$work/skiff-root" | cut -f1)
if [ "$store_bytes" -lt $(( $(stat -c %s "$rootfs_tar") + layer_size * 9 / 10 )) ]; then
    echo "warning: after the pull skiff's store holds $((store_bytes / 1024 / 1024)) MB, less than blobs + unpacked tree: it did not unpack, so this measures download only"
fi
eval "$clean"

say "hyperfine: $RUNS cold pulls each"
hyperfine --runs "$RUNS" --prepare "sync; $clean" --export-json "$work/pull.json" "${commands[@]}"
eval "$clean"

skiff_mean=$(mean_of "$work/pull.json" 0)
unpacked=$(stat -c %s "$rootfs_tar")
field() { jq -r ".results[$2].$3" "$1"; }
awk -v s="$skiff_mean" -v m="$(field "$work/pull.json" 0 min)" -v b="$unpacked" \
    'BEGIN { printf "skiff: %.2f s per cold pull (fastest %.2f s), %.0f MB/s unpacked (fastest %.0f MB/s)\n", s, m, b / s / 1e6, b / m / 1e6 }'
if [ ${#commands[@]} -gt 1 ]; then
    print_ratio "cold pull" "$skiff_mean" podman "$(mean_of "$work/pull.json" 1)" 0.25
    # On a loaded machine the mean wall time mostly measures the scheduler; the fastest run and the CPU
    # time (user + system, which includes the kernel's work creating the files) are steadier.
    print_ratio "cold pull, fastest run" "$(field "$work/pull.json" 0 min)" podman "$(field "$work/pull.json" 1 min)"
    print_ratio "cold pull, CPU time (user+sys)" \
        "$(jq -r '.results[0] | .user + .system' "$work/pull.json")" podman "$(jq -r '.results[1] | .user + .system' "$work/pull.json")"
    echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
else
    echo "podman is not installed: no ratio"
fi
