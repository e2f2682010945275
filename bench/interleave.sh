#!/usr/bin/env bash
# Times commands interleaved: ROUNDS rounds, each running every command once in a fresh random order, so that
# the machine's load (other tenants, a build) falls on every command alike instead of on whichever hyperfine
# happened to run during it. Writes one "NAME MILLISECONDS" line per run to OUT; a failed run is an error.
#   interleave.sh ROUNDS WARMUP OUT NAME1 CMD1 [NAME2 CMD2 ...]
# Each CMD runs through `bash -c` with stdout and stderr discarded, as hyperfine runs it.
set -euo pipefail
rounds=$1 warmup=$2 out=$3
shift 3
names=() commands=()
while [ $# -ge 2 ]; do names+=("$1"); commands+=("$2"); shift 2; done
[ $# -eq 0 ] && [ ${#names[@]} -gt 0 ] || { echo "usage: interleave.sh ROUNDS WARMUP OUT NAME CMD [NAME CMD ...]" >&2; exit 2; }

run_one() {
    local i=$1 start end
    start=$EPOCHREALTIME
    if ! bash -c "${commands[$i]}" >/dev/null 2>&1; then
        echo "error: ${names[$i]} failed: ${commands[$i]}" >&2
        exit 1
    fi
    end=$EPOCHREALTIME
    # EPOCHREALTIME is seconds.microseconds; the difference in milliseconds with three decimals.
    echo "${names[$i]} $(( (${end/./} - ${start/./}) / 1000 )).$(printf '%03d' $(( (${end/./} - ${start/./}) % 1000 )))"
}

for _ in $(seq 1 "$warmup"); do
    for i in "${!commands[@]}"; do run_one "$i" >/dev/null; done
done

: >"$out"
for _ in $(seq 1 "$rounds"); do
    order=("${!commands[@]}")
    # Fisher-Yates with bash's RANDOM: a fresh order every round.
    for ((k = ${#order[@]} - 1; k > 0; k--)); do
        j=$((RANDOM % (k + 1)))
        t=${order[$k]}; order[$k]=${order[$j]}; order[$j]=$t
    done
    for i in "${order[@]}"; do run_one "$i" >>"$out"; done
done
