#!/usr/bin/env bash
# `skiff images` with 100 images and `skiff version` (targets, issue 2: under 20 ms and 10 ms), next
# to `podman images` / `podman version` on the same 100 images. Run as root: sudo bench/images.sh
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-50}
COUNT=${COUNT:-100}

require_root
require_tools hyperfine jq
require_skiff
require_verb import images version
make_workdir

skiff_store="--root $work/skiff-root --runroot $work/skiff-run"
podman_store="--root $work/podman-root --runroot $work/podman-run"
have_podman=0
command -v podman >/dev/null 2>&1 && have_podman=1

say "creating $COUNT distinct images"
for i in $(seq 1 "$COUNT"); do
    dir=$work/image-$i
    mkdir -p "$dir/etc"
    echo "image $i" >"$dir/etc/bench-id"
    tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$dir.tar" .
    "$SKIFF" $skiff_store import "$dir.tar" "bench/image-$i:v1" >/dev/null || die "skiff import failed"
    if [ "$have_podman" = 1 ]; then
        podman $podman_store import "$dir.tar" "bench/image-$i:v1" >/dev/null 2>&1 || have_podman=0
    fi
    rm -rf "$dir" "$dir.tar"
done
listed=$("$SKIFF" $skiff_store images -q | wc -l)
[ "$listed" -ge "$COUNT" ] || die "skiff images lists $listed images, expected $COUNT"

commands=("$SKIFF $skiff_store images" "$SKIFF version")
[ "$have_podman" = 1 ] && commands+=("podman $podman_store images" "podman version")
say "hyperfine, $RUNS runs each"
hyperfine --warmup 3 --runs "$RUNS" -N --export-json "$work/images.json" "${commands[@]}" 2>/dev/null \
    || hyperfine --warmup 3 --runs "$RUNS" --export-json "$work/images.json" "${commands[@]}"

awk -v i="$(mean_of "$work/images.json" 0)" -v v="$(mean_of "$work/images.json" 1)" 'BEGIN {
    printf "skiff images (%d images): %.1f ms (target < 20 ms: %s)\n", '"$COUNT"', i * 1000, (i < 0.020 ? "met" : "NOT met")
    printf "skiff version: %.1f ms (target < 10 ms: %s)\n", v * 1000, (v < 0.010 ? "met" : "NOT met")
}'
if [ "$have_podman" = 1 ]; then
    print_ratio "images" "$(mean_of "$work/images.json" 0)" podman "$(mean_of "$work/images.json" 2)"
    print_ratio "version" "$(mean_of "$work/images.json" 1)" podman "$(mean_of "$work/images.json" 3)"
fi
