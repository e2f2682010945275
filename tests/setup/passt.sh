#!/usr/bin/env bash
# Builds pasta (passt) from Debian 13 (trixie)'s verified source into skiff's own helper directory, which
# skiff searches before PATH (SKIFF_HELPER_BINARIES_DIR). /usr/bin/pasta and everybody else's PATH stay as
# they are. Shared by install.sh and tests/setup/deps.sh. Idempotent: quick (no network) once built.
#   tests/setup/passt.sh [DIR]     default DIR: /usr/local/lib/skiff/helpers
#   PASST_REBUILD=1                build again even if DIR has a working build (e.g. after a trixie update)
#   DEBIAN_MIRROR=URL              default http://deb.debian.org/debian
#
# Why: Debian 12's pasta (2023-03) spends ~25 ms of CPU starting (it zeroes its packet pools: ~7,800 page
# faults); trixie's (2025-05) starts in ~15 ms with half the page faults, which took ~30 ms off
# `skiff run --rm busybox true` with the default network on a busy 2-core machine (README "Network helpers").
# trixie's binary package needs a newer libc than Debian 12's, but the source builds with plain `make`.
#
# Trust chain: InRelease verified by gpgv against the Debian archive keyring -> the sha256 of
# main/source/Sources.xz listed there -> the sha256 of the .orig and .debian tarballs listed for passt in
# Sources.xz. Debian's own patches (debian/patches/series) are applied, as the Debian package does.
# Exit status: 0 when DIR holds a working build; 1 with an "error:" line when it cannot be built (skiff
# then keeps using the system pasta).
set -euo pipefail
exec </dev/null

dir=${1:-/usr/local/lib/skiff/helpers}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=trixie
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

say() { echo "passt: $*"; }
die() { echo "error: passt: $1 (skiff keeps using the system pasta)" >&2; [ -z "${2:-}" ] || echo "hint: $2" >&2; exit 1; }

# How this script links pasta (see the .bss alignment below); a build recorded with another layout is redone.
layout=bss-2m
# A build counts as working when its pasta starts and reports the version this script recorded.
if [ "${PASST_REBUILD:-0}" != 1 ] && [ -x "$dir/passt" ] && [ -L "$dir/pasta" ] && [ -s "$dir/passt.version" ] \
    && [ "$(cat "$dir/passt.layout" 2>/dev/null)" = "$layout" ] \
    && [ "$(env --default-signal=PIPE stdbuf -oL "$dir/pasta" --version 2>/dev/null | head -n 1)" = "pasta $(cat "$dir/passt.version")" ]; then
    say "$dir/pasta $(cat "$dir/passt.version") already built"
    exit 0
fi

for tool in curl gpgv xz make gcc patch sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing" "apt-get install curl gpgv xz-utils make gcc patch"
done
[ -r "$keyring" ] || die "$keyring is missing" "apt-get install debian-archive-keyring"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() {
    curl -fsS --retry 2 --connect-timeout 10 -o "$work/$2" "$mirror/$1" \
        || die "cannot download $mirror/$1" "check that the Debian mirror is reachable (DEBIAN_MIRROR=URL picks another)"
}
# The sha256 that a Debian index ($1) lists for the file name $2 (the last "sha256 size name" line).
sha256_listed() { awk -v name="$2" '$3 == name && length($1) == 64 { hash = $1 } END { print hash }' "$1"; }
verify() {
    local expected=$1 file=$2
    [ -n "$expected" ] || die "no sha256 listed for $file"
    [ "$(sha256sum "$work/$file" | cut -d' ' -f1)" = "$expected" ] || die "$file does not match its sha256 in the signed index"
}

say "verifying $suite's passt source from $mirror"
fetch "dists/$suite/InRelease" InRelease
gpgv --keyring "$keyring" --output "$work/Release" "$work/InRelease" 2>"$work/gpgv.log" \
    || { cat "$work/gpgv.log" >&2; die "the signature of $suite's InRelease does not verify"; }
fetch "dists/$suite/main/source/Sources.xz" Sources.xz
verify "$(sha256_listed "$work/Release" main/source/Sources.xz)" Sources.xz
# awk reads to the end: an early exit would kill xz with SIGPIPE, which pipefail reports as a failure.
xz -dc "$work/Sources.xz" | awk '/^Package: passt$/ && !done { p = 1 } p && /^$/ { p = 0; done = 1 } p' >"$work/passt.stanza"
version=$(sed -n 's/^Version: //p' "$work/passt.stanza")
pool=$(sed -n 's/^Directory: //p' "$work/passt.stanza")
[ -n "$version" ] && [ -n "$pool" ] || die "$suite's Sources lists no passt"
upstream=${version%-*}
orig=passt_${upstream}.orig.tar.xz
debian=passt_${version}.debian.tar.xz
fetch "$pool/${orig//\~/%7E}" "$orig"
verify "$(sha256_listed "$work/passt.stanza" "$orig")" "$orig"
fetch "$pool/${debian//\~/%7E}" "$debian"
verify "$(sha256_listed "$work/passt.stanza" "$debian")" "$debian"

say "building passt $version"
mkdir "$work/src"
tar -C "$work/src" --strip-components=1 -xJf "$work/$orig"
tar -C "$work/src" -xJf "$work/$debian"
if [ -s "$work/src/debian/patches/series" ]; then
    while read -r p _; do
        case $p in ''|'#'*) continue ;; esac
        patch -s -p1 -d "$work/src" <"$work/src/debian/patches/$p" || die "Debian's patch $p does not apply"
    done <"$work/src/debian/patches/series"
fi
# passt.avx2: passt re-executes itself as <its path>.avx2 when the CPU has AVX2 (as Debian installs it).
targets=(passt pasta)
[ "$(uname -m)" = x86_64 ] && targets+=(passt.avx2 pasta.avx2)
# Linked with one more object, whose only content is a 2 MiB-aligned byte in .bss: the .bss then starts on a
# 2 MiB boundary in a segment of its own, which the kernel maps 2 MiB-aligned, so skiff-hugebss.so's huge pages
# cover its first 2 MiB too. Otherwise .bss starts just after .data, wherever the load address puts it, and
# pasta's start-up zeroes the part of its tables before the first boundary one 4 KiB page fault at a time
# (measured: 517-993 page faults per `pasta --config-net true`, 517 with the alignment; the source is unchanged).
printf '%s\n' 'static char skiff_bss_align[1] __attribute__((used, aligned(0x200000)));' >"$work/bss-align.c"
gcc -O2 -c -o "$work/bss-align.o" "$work/bss-align.c" || die "cannot compile the .bss alignment object"
make -s -C "$work/src" "${targets[@]}" VERSION="$version" LDFLAGS="$work/bss-align.o" >"$work/make.log" 2>&1 \
    || { tail -n 20 "$work/make.log" >&2; die "make failed"; }

# Installed under temporary names first, then renamed, so a pasta running right now keeps its file.
install -d -m 0755 "$dir"
for binary in passt passt.avx2; do
    [ -f "$work/src/$binary" ] || continue
    install -m 0755 "$work/src/$binary" "$dir/.$binary.new"
    mv -f "$dir/.$binary.new" "$dir/$binary"
    ln -sfn "$binary" "$dir/${binary/passt/pasta}"
done
printf '%s\n' "$version" >"$dir/.passt.version.new"
chmod 0644 "$dir/.passt.version.new"
mv -f "$dir/.passt.version.new" "$dir/passt.version"
printf '%s\n' "$layout" >"$dir/.passt.layout.new"
chmod 0644 "$dir/.passt.layout.new"
mv -f "$dir/.passt.layout.new" "$dir/passt.layout"
got=$(env --default-signal=PIPE stdbuf -oL "$dir/pasta" --version 2>/dev/null | head -n 1)
[ "$got" = "pasta $version" ] || die "the new $dir/pasta does not run (it said: ${got:-nothing})"
say "installed $dir/pasta $version"
