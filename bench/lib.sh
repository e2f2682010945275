# Shared helpers for the benchmarks (sourced). Benchmarks run as root; rootless parts run as
# BENCH_USER (default: skifftest, the test user tests/run.sh creates).
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
SKIFF=${SKIFF_BIN:-$repo/out/skiff}
BENCH_USER=${BENCH_USER:-skifftest}
RUNS=${RUNS:-10}

die() { echo "error: $1" >&2; [ -z "${2:-}" ] || echo "hint: $2" >&2; exit 1; }
say() { echo "== $*"; }

require_root() { [ "$(id -u)" = 0 ] || die "benchmarks run as root (rootless parts switch to $BENCH_USER)" "sudo $0"; }

require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed" "apt-get install $tool"
    done
}

require_skiff() {
    [ -x "$SKIFF" ] || die "no skiff at $SKIFF" "dotnet publish src/cli/Skiff.Cli.csproj -c Release -o out, or set SKIFF_BIN"
    # Benchmarks that switch user need a binary that user can reach (the checkout may be under /root).
    install -d -m 0755 /usr/local/lib/skiff-bench
    install -m 0755 "$SKIFF" /usr/local/lib/skiff-bench/skiff
    # Its helpers are found next to it: skiff-init (--init), skiff-relay (what an idle monitor becomes),
    # skiff-hugebss.so (preloaded into pasta).
    local helper
    for helper in skiff-init skiff-relay skiff-hugebss.so; do
        if [ -f "$(dirname "$SKIFF")/$helper" ]; then
            install -m 0755 "$(dirname "$SKIFF")/$helper" "/usr/local/lib/skiff-bench/.$helper.new"
            mv -f "/usr/local/lib/skiff-bench/.$helper.new" "/usr/local/lib/skiff-bench/$helper"
        fi
    done
    SKIFF=/usr/local/lib/skiff-bench/skiff
}

# Fails clearly when this skiff does not have VERB yet (benchmarks are written ahead of some verbs).
require_verb() {
    local verb
    for verb in "$@"; do
        # shellcheck disable=SC2086
        if ! "$SKIFF" $verb --help 2>/dev/null | grep -q "skiff $verb"; then
            die "this skiff has no working '$verb' command yet ($SKIFF $verb --help failed)"
        fi
    done
}

require_bench_user() {
    id -u "$BENCH_USER" >/dev/null 2>&1 || die "user $BENCH_USER does not exist" "run tests/run.sh once, or set BENCH_USER to a user with a subordinate id range"
}

# A scratch directory readable by the bench user, removed on exit.
make_workdir() {
    work=$(mktemp -d /tmp/skiff-bench.XXXXXX)
    chmod 0755 "$work"
    trap 'cleanup_workdir' EXIT
}

cleanup_workdir() {
    if [ -n "${registry_pid:-}" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
    if [ -n "${work:-}" ] && [ -d "$work" ]; then
        # The rootless user namespace's holder (pause process) recorded under the bench user's XDG_RUNTIME_DIR.
        if [ -f "$work/user/run/skiff/pause.pid" ] && [ -n "${SKIFF:-}" ]; then as_user "$SKIFF" system migrate 2>/dev/null || true; fi
        # Unmount anything a tool left mounted below the work directory, deepest first.
        awk -v p="$work/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
        rm -rf --one-file-system "$work" 2>/dev/null || true
    fi
}

# The pasta skiff runs (its helper directories come before PATH; README "Network helpers"), so that pasta
# "by hand" is the same program: sets pasta_bin and says which one and its version. Arguments: store flags.
find_skiff_pasta() {
    pasta_bin=$("$SKIFF" "$@" info --format '{{.Host.Pasta.Executable}}') || die "skiff info failed"
    [ -n "$pasta_bin" ] || die "skiff finds no pasta" "apt-get install passt, or run tests/setup/passt.sh"
    say "pasta, for skiff and by hand: $pasta_bin ($("$SKIFF" "$@" info --format '{{.Host.Pasta.Version}}'))"
}

# skiff's helper directories as the caller set them (unset: skiff's default), passed on to the bench user.
helper_env=()
[ -z "${SKIFF_HELPER_BINARIES_DIR+set}" ] || helper_env=("SKIFF_HELPER_BINARIES_DIR=$SKIFF_HELPER_BINARIES_DIR")

# Runs a command as the bench user with a private HOME/XDG under $work/user.
as_user() {
    local home="$work/user"
    if [ ! -d "$home" ]; then
        install -d -m 0755 -o "$BENCH_USER" "$home" "$home/data" "$home/config"
        install -d -m 0700 -o "$BENCH_USER" "$home/run"
    fi
    runuser -u "$BENCH_USER" -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run" "${helper_env[@]}" "$@"
}

# Starts Debian's docker-registry on a free loopback port: sets registry (host:port) and registry_pid.
start_registry() {
    local port config
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 20000))
        ss -ltnH "sport = :$port" | grep -q . || break
    done
    install -d "$work/registry"
    config="$work/registry/config.yml"
    cat >"$config" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: bench-$RANDOM
YAML
    /usr/bin/docker-registry serve "$config" >"$work/registry/log" 2>&1 &
    registry_pid=$!
    registry="127.0.0.1:$port"
    for _ in $(seq 1 100); do
        if curl -fs "http://$registry/v2/" >/dev/null 2>&1; then return; fi
        sleep 0.1
    done
    cat "$work/registry/log" >&2
    die "docker-registry did not start on $registry"
}

# hyperfine's mean (seconds) of command number $2 in the JSON export $1.
mean_of() { jq -r ".results[$2].mean" "$1"; }

# The median (seconds) of NAME's runs in an interleave.sh output file $1.
median_of_runs() {
    awk -v n="$2" '$1 == n { print $2 }' "$1" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) exit 1
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.6f\n", m / 1000
    }'
}

# Prints "label: skiff X ms, other Y ms, ratio skiff/other R (target T)".
print_ratio() {
    local label=$1 skiff_mean=$2 other_name=$3 other_mean=$4 target=${5:-}
    awk -v l="$label" -v s="$skiff_mean" -v n="$other_name" -v o="$other_mean" -v t="$target" 'BEGIN {
        r = s / o
        printf "%s: skiff %.1f ms, %s %.1f ms, ratio skiff/%s %.3f", l, s * 1000, n, o * 1000, n, r
        if (t != "") printf " (target <= %s: %s)", t, (r <= t ? "met" : "NOT met")
        printf "\n"
    }'
}

# "PIPES PAGES": the pipes held by processes whose real uid is $1 and their buffers in pages, what the
# kernel counts against fs.pipe-user-pages-soft for that user (past it, an unprivileged user's new pipes get
# two pages and F_SETPIPE_SZ fails). Each pipe is counted once; its size is read through a duplicate of the
# holder's descriptor (pidfd_open 434, pidfd_getfd 438, F_GETPIPE_SZ 1032). Pipes the user holds but another
# user created (or the reverse) are miscounted; the forwarders and pastas of a rootless user create their own.
user_pipe_pages() {
    perl -e '
        use strict; use POSIX ();
        my $uid = shift; my (%seen, $pipes, $pages);
        opendir(my $proc, "/proc") or die "/proc: $!";
        for my $pid (grep { /^\d+$/ } readdir $proc) {
            open(my $st, "<", "/proc/$pid/status") or next;
            my ($ruid) = map { /^Uid:\s+(\d+)/ ? $1 : () } <$st>;
            next unless defined $ruid && $ruid == $uid;
            my $pidfd = syscall(434, $pid + 0, 0);
            next if $pidfd < 0;
            if (opendir(my $fds, "/proc/$pid/fd")) {
                for my $fd (grep { /^\d+$/ } readdir $fds) {
                    my $link = readlink("/proc/$pid/fd/$fd") // next;
                    next unless $link =~ /^pipe:\[(\d+)\]$/;
                    next if $seen{$1}++;
                    my $dup = syscall(438, $pidfd, $fd + 0, 0);
                    next if $dup < 0;
                    if (open(my $fh, "<&=", $dup)) {
                        my $size = fcntl($fh, 1032, 0);
                        $pipes++; $pages += int($size / 4096) if $size;
                        close $fh;
                    } else { POSIX::close($dup); }
                }
            }
            POSIX::close($pidfd);
        }
        printf "%d %d\n", $pipes // 0, $pages // 0;
    ' "$(id -u "$1")"
}
