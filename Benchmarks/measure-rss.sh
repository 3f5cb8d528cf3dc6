#!/usr/bin/env bash
# Runs a command and reports its peak resident memory split into anonymous (heap, stacks: what the
# program holds) and file-backed (LMDB's memory map of the journal: page cache, reclaimable by the
# kernel), sampled every 100 ms from /proc. Usage: Benchmarks/measure-rss.sh COMMAND...
set -euo pipefail
"$@" &
pid=$!
peak_anon=0
peak_file=0
while kill -0 "$pid" 2>/dev/null; do
    if read -r anon file < <(awk '/^RssAnon:/{a=$2} /^RssFile:/{f=$2} END{print a+0, f+0}' "/proc/$pid/status" 2>/dev/null); then
        [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
        [ "$file" -gt "$peak_file" ] && peak_file=$file
    fi
    sleep 0.1
done
wait "$pid"
echo "peak RSS: anonymous $((peak_anon / 1024)) MiB, file-backed (journal map) $((peak_file / 1024)) MiB" >&2
