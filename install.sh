#!/usr/bin/env bash
# Installs skiff on Debian 12 (safe to run again; it updates in place).
#   ./install.sh           as root: packages, /usr/local/bin/skiff, completions, starter image in /usr/local/share/skiff
#   ./install.sh           as a user: packages through sudo when missing, ~/.local/bin/skiff, per-user completions
#                          and starter image in ~/.local/share/skiff-starter
#   sudo ./install.sh      a user's system-wide install; skiff then runs rootless as that user
set -euo pipefail
exec </dev/null
cd "$(dirname "$0")"
repo=$(pwd)

case "${1:-}" in
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    "") ;;
    *) echo "error: unknown argument $1 (see ./install.sh --help)" >&2; exit 2 ;;
esac

say() { echo "==> $*"; }
die() { echo "error: $1" >&2; [ -z "${2:-}" ] || echo "hint: $2" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then
    as_root() { "$@"; }
    bin_dir=/usr/local/bin
    share_dir=/usr/local/share/skiff
    bash_completions=/usr/share/bash-completion/completions
    zsh_completions=/usr/share/zsh/vendor-completions
    fish_completions=/usr/share/fish/vendor_completions.d
    dotnet_dir=/usr/local/share/dotnet
    helper_dir=/usr/local/lib/skiff/helpers
else
    if command -v sudo >/dev/null 2>&1; then
        as_root() { sudo -- "$@"; }
    else
        as_root() { die "root is needed to run: $*" "run ./install.sh as root once, or install sudo"; }
    fi
    data_home=${XDG_DATA_HOME:-$HOME/.local/share}
    bin_dir=$HOME/.local/bin
    share_dir=$data_home/skiff-starter
    bash_completions=$data_home/bash-completion/completions
    zsh_completions=$data_home/zsh/site-functions
    fish_completions=${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions
    dotnet_dir=$HOME/.dotnet
    helper_dir=$HOME/.local/lib/skiff/helpers
fi

# --- OS packages -------------------------------------------------------------------------------
# uidmap: newuidmap/newgidmap for rootless; passt/slirp4netns: rootless networking; nftables: the
# masquerade and forward rules of user-defined networks; fuse-overlayfs:
# overlay fallback; busybox-static: the starter image; gcc, libc6-dev, zlib1g-dev: NativeAOT linking
# and the C entry stage; libicu72, curl: the .NET SDK and its installer; make, patch, gpgv, xz-utils,
# debian-archive-keyring: building a newer pasta from Debian 13's verified source (tests/setup/passt.sh).
packages=(uidmap passt slirp4netns fuse-overlayfs fuse3 nftables busybox-static ca-certificates curl
          gcc libc6-dev zlib1g-dev libicu72 tar make patch gpgv xz-utils debian-archive-keyring)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    say "packages: all present"
fi

# --- .NET SDK 10 (build only; skiff itself is a native binary) ------------------------------------
has_sdk() { command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; }
if ! has_sdk && [ -x "$dotnet_dir/dotnet" ]; then
    export PATH="$dotnet_dir:$PATH"
fi
if ! has_sdk; then
    if apt-cache policy dotnet-sdk-10.0 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        say "installing dotnet-sdk-10.0 from apt"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q dotnet-sdk-10.0
    else
        say "installing the .NET 10 SDK into $dotnet_dir (dotnet-install.sh)"
        installer=$(mktemp)
        curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$installer" \
            || die "cannot download https://dot.net/v1/dotnet-install.sh" "install the .NET 10 SDK yourself (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run ./install.sh again"
        bash "$installer" --channel 10.0 --install-dir "$dotnet_dir" --no-path
        rm -f "$installer"
        export PATH="$dotnet_dir:$PATH"
        if [ "$(id -u)" = 0 ]; then ln -sf "$dotnet_dir/dotnet" /usr/local/bin/dotnet; fi
    fi
    has_sdk || die "the .NET 10 SDK is still missing after installing it" "check 'dotnet --list-sdks'"
fi

# --- build and install skiff ----------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say "building skiff (NativeAOT, about a minute)"
dotnet publish "$repo/src/cli/Skiff.Cli.csproj" -c Release -o "$repo/out" -nologo -v quiet
install -d -m 0755 "$bin_dir"
# Copy then rename, so a skiff that is running right now keeps its old file.
install -m 0755 "$repo/out/skiff" "$bin_dir/.skiff.new"
mv -f "$bin_dir/.skiff.new" "$bin_dir/skiff"
# skiff-init: the static PID 1 of `skiff run --init`, found by skiff in ../libexec/skiff.
install -d -m 0755 "$bin_dir/../libexec/skiff"
install -m 0755 "$repo/out/skiff-init" "$bin_dir/../libexec/skiff/skiff-init"
# skiff-relay: what a container's monitor becomes once the container runs (small, so idle monitors are).
install -m 0755 "$repo/out/skiff-relay" "$bin_dir/../libexec/skiff/.skiff-relay.new"
mv -f "$bin_dir/../libexec/skiff/.skiff-relay.new" "$bin_dir/../libexec/skiff/skiff-relay"
# skiff-hugebss.so: preloaded into containers' pastas (huge pages for their zeroed tables: a faster start).
install -m 0644 "$repo/out/skiff-hugebss.so" "$bin_dir/../libexec/skiff/.skiff-hugebss.so.new"
mv -f "$bin_dir/../libexec/skiff/.skiff-hugebss.so.new" "$bin_dir/../libexec/skiff/skiff-hugebss.so"
say "installed $bin_dir/skiff ($("$bin_dir/skiff" version 2>/dev/null | sed -n 's/^Version: *//p'))"

# --- pasta from Debian 13's source into skiff's helper directory (searched before PATH) --------------
# Debian 12's pasta costs ~25 ms of CPU per container start, trixie's ~15 ms (README "Network helpers").
# /usr/bin/pasta stays as it is; without this build skiff uses it.
if "$repo/tests/setup/passt.sh" "$helper_dir"; then
    say "pasta for skiff: $helper_dir/pasta"
else
    echo "warning: skiff uses the system pasta ($(command -v pasta || echo none)); run $repo/tests/setup/passt.sh $helper_dir to try again"
fi

# --- shell completions (generated files in completions/) -------------------------------------------
install_completion() {
    local dir=$1 name=$2; shift 2
    local candidate
    for candidate in "$@"; do
        if [ -f "$repo/completions/$candidate" ]; then
            install -d -m 0755 "$dir"
            install -m 0644 "$repo/completions/$candidate" "$dir/$name"
            say "installed $dir/$name"
            return
        fi
    done
}
install_completion "$bash_completions" skiff skiff.bash bash/skiff skiff
install_completion "$zsh_completions" _skiff _skiff skiff.zsh zsh/_skiff
install_completion "$fish_completions" skiff.fish skiff.fish fish/skiff.fish

# --- starter image: a busybox root filesystem, so the first run needs no registry -------------------
say "building the starter image $share_dir/busybox-rootfs.tar"
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,dev,etc,home,proc,root,sys,tmp,usr/bin,usr/sbin,sbin,var}
chmod 0700 "$rootfs/root"
chmod 1777 "$rootfs/tmp"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
install -d -m 0755 "$share_dir"
tar --sort=name --mtime='2024-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner \
    -C "$rootfs" -cf "$share_dir/.busybox-rootfs.tar.new" .
chmod 0644 "$share_dir/.busybox-rootfs.tar.new"
mv -f "$share_dir/.busybox-rootfs.tar.new" "$share_dir/busybox-rootfs.tar"

# --- what rootless needs from the machine ----------------------------------------------------------
user=${SUDO_USER:-$(id -un)}
if [ "$user" != root ] && { ! grep -q "^$user:" /etc/subuid 2>/dev/null || ! grep -q "^$user:" /etc/subgid 2>/dev/null; }; then
    echo "warning: $user has no subordinate id range, so rootless skiff cannot map image owners"
    echo "hint: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $user"
fi
for device in /dev/net/tun /dev/fuse; do
    if [ -e "$device" ] && [ "$(stat -c %a "$device")" != 666 ]; then
        echo "note: $device is not 0666, so rootless networking (pasta, slirp4netns) or fuse-overlayfs fail for users; 'chmod 0666 $device' as root allows them"
    fi
done

case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "note: $bin_dir is not in PATH; add it: export PATH=\"$bin_dir:\$PATH\"" ;;
esac
say "done. Try: skiff import $share_dir/busybox-rootfs.tar busybox && skiff run --rm busybox echo hello"
