#!/usr/bin/env bash
# Creates the rootless test user(s) with one subordinate uid/gid range each. Idempotent; run as root.
# Debian's useradd already adds a range to /etc/subuid and /etc/subgid; a second line for the same
# user makes newuidmap fail ("write to uid_map failed: Invalid argument"), so we only add a range
# when the user has none.
set -euo pipefail

ensure_range() {
    local user=$1 file=$2 start=$3
    if ! grep -q "^${user}:" "$file" 2>/dev/null; then
        echo "${user}:${start}:65536" >>"$file"
    fi
}

# A start no other line uses: past the end of every existing range.
next_free_start() {
    local max=100000
    local f
    for f in /etc/subuid /etc/subgid; do
        [ -f "$f" ] || continue
        while IFS=: read -r name start count; do
            [ -n "${start:-}" ] && [ -n "${count:-}" ] || continue
            [ "$name" != containers ] || continue
            if [ $((start + count)) -gt "$max" ]; then max=$((start + count)); fi
        done <"$f"
    done
    echo "$max"
}

for user in "$@"; do
    if ! id -u "$user" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/bash "$user"
        echo "created user $user"
    fi
    if ! grep -q "^${user}:" /etc/subuid 2>/dev/null || ! grep -q "^${user}:" /etc/subgid 2>/dev/null; then
        start=$(next_free_start)
        ensure_range "$user" /etc/subuid "$start"
        ensure_range "$user" /etc/subgid "$start"
    fi
    if [ "$(grep -c "^${user}:" /etc/subuid)" != 1 ] || [ "$(grep -c "^${user}:" /etc/subgid)" != 1 ]; then
        echo "error: $user must have exactly one line in /etc/subuid and /etc/subgid" >&2
        exit 1
    fi
done

# podman's pool for --userns=auto (root): far above every user's range.
for f in /etc/subuid /etc/subgid; do
    grep -q "^containers:" "$f" 2>/dev/null || echo "containers:2147483647:2147483648" >>"$f"
done

# A supplementary group of the test users, so that --group-add keep-groups has a group to keep
# (a file readable only by this group must stay readable in the container).
getent group skiffextra >/dev/null || groupadd skiffextra
for user in "$@"; do
    id -nG "$user" | tr ' ' '\n' | grep -qx skiffextra || usermod -aG skiffextra "$user"
done
