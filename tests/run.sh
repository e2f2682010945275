#!/usr/bin/env bash
# The whole test suite, as CI runs it (as root, in a fresh clone, no stdin):
#   sudo ./tests/run.sh             set up the machine, publish skiff, run every test
#   ./tests/run.sh --fast           unit tests only (no root, no setup, no publish)
#   ./tests/run.sh [--fast] -- ARGS extra `dotnet test` arguments, e.g. -- --filter FullyQualifiedName~Pull
# Prints "N passed, N failed" last and exits non-zero when anything failed.
set -euo pipefail
exec </dev/null
cd "$(dirname "$0")/.."
repo=$(pwd)

fast=0
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --fast) fast=1 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see tests/run.sh --help)" >&2; exit 2 ;;
    esac
    shift
done

# CI may start us with a bare environment: the NuGet cache needs HOME, useradd and runuser live in sbin.
export HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
export PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export SKIFF_TEST_USER=${SKIFF_TEST_USER:-skifftest}

if [ "$fast" = 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "error: the full suite sets up the machine (packages, test user, devices) and runs skiff as root" >&2
        echo "hint: run 'sudo ./tests/run.sh', or './tests/run.sh --fast' for unit tests only" >&2
        exit 2
    fi
    echo "== setup: packages, test user, devices"
    ./tests/setup/deps.sh
    ./tests/setup/users.sh "$SKIFF_TEST_USER"
    ./tests/setup/devices.sh
    # Cached after the first run; without a mirror the --systemd tests with a real systemd fail and say why.
    ./tests/setup/systemd-image.sh || echo "warning: no systemd test image (tests/setup/systemd-image.sh failed)"

    echo "== publish skiff (NativeAOT)"
    dotnet publish src/cli/Skiff.Cli.csproj -c Release -o out -nologo -v quiet
    # The checkout may sit where the rootless test user cannot reach (/root is 0700): the tests run a
    # world-readable copy.
    install -d -m 0755 /usr/local/lib/skiff-test
    install -m 0755 out/skiff /usr/local/lib/skiff-test/skiff.new
    mv -f /usr/local/lib/skiff-test/skiff.new /usr/local/lib/skiff-test/skiff
    install -m 0755 out/skiff-init /usr/local/lib/skiff-test/skiff-init
    install -m 0755 out/skiff-relay /usr/local/lib/skiff-test/skiff-relay.new
    mv -f /usr/local/lib/skiff-test/skiff-relay.new /usr/local/lib/skiff-test/skiff-relay
    install -m 0644 out/skiff-hugebss.so /usr/local/lib/skiff-test/skiff-hugebss.so.new
    mv -f /usr/local/lib/skiff-test/skiff-hugebss.so.new /usr/local/lib/skiff-test/skiff-hugebss.so
    export SKIFF_BIN=/usr/local/lib/skiff-test/skiff

    # Sandboxes of runs that were killed (older than 3 hours, so a parallel run keeps its own).
    if [ -d /tmp/skiff-tests ]; then
        find /tmp/skiff-tests -mindepth 1 -maxdepth 1 -mmin +180 -exec rm -rf --one-file-system {} + 2>/dev/null || true
    fi
    filter=()
else
    filter=(--filter "Category!=E2E")
    # A --filter of the caller's narrows the unit tests (dotnet test takes one --filter).
    for i in "${!extra[@]}"; do
        if [ "${extra[$i]}" = "--filter" ] && [ $((i + 1)) -lt ${#extra[@]} ]; then
            filter=(--filter "Category!=E2E&(${extra[$((i + 1))]})")
            unset 'extra[i]' "extra[$((i + 1))]"
            extra=("${extra[@]}")
            break
        fi
    done
fi

echo "== dotnet test"
results="$repo/TestResults"
rm -rf "$results"
status=0
# --blame-hang-timeout: a hung test is killed and named instead of eating CI's 90 minutes.
dotnet test Tool.sln -c Release -nologo \
    --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=results.trx" \
    --results-directory "$results" \
    --blame-hang-timeout 20m --blame-hang-dump-type none \
    "${filter[@]}" "${extra[@]}" || status=$?

passed=0
failed=0
total=0
found=0
for trx in $(find "$results" -name '*.trx' 2>/dev/null); do
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
    [ -n "$counters" ] || continue
    found=1
    value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed)))
    total=$((total + $(value total)))
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/FAILED: \1/p' || true
done

if [ "$found" = 0 ]; then
    echo "error: no test results (the build failed or dotnet test crashed; see above)" >&2
    echo "0 passed, 0 failed"
    exit 1
fi
notrun=$((total - passed - failed))
if [ "$notrun" -gt 0 ]; then
    echo "$notrun tests did not run to completion (aborted or hung)"
fi
echo "took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$passed passed, $failed failed"
if [ "$status" != 0 ] || [ "$failed" != 0 ] || [ "$notrun" -gt 0 ]; then
    exit 1
fi
