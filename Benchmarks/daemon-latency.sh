#!/usr/bin/env bash
# The daemon's responsiveness (issue 15): latency from a POST to its entry being folded into state and
# outbox (the projector's checkpoint reaching the entry's seq, read from /v1/health), with the daemon
# idle and under a steady load of 2,000 entries/s from another client; then the daemon's CPU while
# idle (`logfold run --no-send` on a fresh directory), its peak memory under the load, and its health
# check's latency while another process holds the store's write lock; then, with a second daemon sending
# to the local Klaviyo (limits lifted), the latency from a POST to Klaviyo holding its event. Release
# build, loopback.
# Usage: Benchmarks/daemon-latency.sh [probes] [load entries/s] [idle seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
probes="${1:-300}"
load="${2:-2000}"
idle="${3:-30}"
# shellcheck source=Benchmarks/common.sh
source Benchmarks/common.sh
work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"$bin" run --data "$work/data" --http-port 0 --http-insecure-no-token --no-send >"$work/run.out" 2>"$work/run.err" &
pid=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/run.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/run.out")
python3 - "$url" "$probes" "$load" "$idle" "$pid" "$work/data" <<'PY'
import http.client, json, os, statistics, sys, threading, time, urllib.parse
url, probes, load, idle, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
data = sys.argv[6]
host = urllib.parse.urlparse(url)
counter = [90_000_000]
lock = threading.Lock()
def entry():
    with lock:
        counter[0] += 1
        n = counter[0]
    return json.dumps({"id": n, "at": "2026-12-01T10:00:00+00:00", "type": "login",
        "customer": {"id": str(5_000_000 + n % 5_000), "email": f"c{n % 5_000}@example.com", "first_name": "A",
        "last_name": "B", "phone": None, "address": None, "status": "Active", "schedule": "Weekly",
        "box": "Small Box", "signup_date": "2026-01-01T00:00:00+00:00", "next_delivery": None,
        "cancel_date": None, "subscribed": True}, "data": {}}, separators=(",", ":"))
def connection():
    return http.client.HTTPConnection(host.hostname, host.port, timeout=30)
def post(conn, lines):
    conn.request("POST", "/v1/entries", body="\n".join(lines) + "\n", headers={"Content-Type": "application/x-ndjson"})
    answer = json.loads(conn.getresponse().read())
    return answer["journal_head"]
def checkpoint(conn):
    conn.request("GET", "/v1/health")
    return json.loads(conn.getresponse().read())["checkpoint"]
def measure(label):
    poster, poller = connection(), connection()
    samples = []
    for _ in range(probes):
        start = time.perf_counter()
        seq = post(poster, [entry()])
        while checkpoint(poller) < seq:
            pass
        samples.append((time.perf_counter() - start) * 1000)
        time.sleep(0.02)
    samples.sort()
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    print(f"{label:<34} p50 {p(0.50):7.1f} ms   p99 {p(0.99):7.1f} ms   max {samples[-1]:7.1f} ms   ({len(samples)} probes)")
measure("POST to outbox, idle")
stop = threading.Event()
sent = [0]
def loader():
    conn = connection()
    per_post, interval = 20, 20 / load
    next_time = time.perf_counter()
    while not stop.is_set():
        post(conn, [entry() for _ in range(per_post)])
        sent[0] += per_post
        next_time += interval
        delay = next_time - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
def anonymous_kib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    return 0
peak = [anonymous_kib()]
def sampler():
    while not stop.is_set():
        peak[0] = max(peak[0], anonymous_kib())
        time.sleep(0.05)
thread = threading.Thread(target=loader, daemon=True)
watcher = threading.Thread(target=sampler, daemon=True)
started = time.perf_counter()
thread.start()
watcher.start()
measure(f"POST to outbox, {load:,} entries/s load")
stop.set()
thread.join()
watcher.join()
print(f"{'load offered':<34} {sent[0] / (time.perf_counter() - started):,.0f} entries/s")
print(f"{'daemon peak memory under load':<34} {peak[0] / 1024:.0f} MiB anonymous ({sent[0]:,} entries journaled and projected)")
time.sleep(2)
def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
before, start = cpu(), time.perf_counter()
time.sleep(idle)
used = cpu() - before
print(f"{'idle CPU':<34} {100 * used / (time.perf_counter() - start):.2f}% of one core over {idle:.0f} s")
# Another process's connection holds the store's write lock, as a long `logfold outbox retry` would.
import sqlite3
holder = sqlite3.connect(data + "/state.sqlite", timeout=10, isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
conn, samples = connection(), []
for _ in range(probes):
    start = time.perf_counter()
    conn.request("GET", "/v1/health")
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 200
    samples.append((time.perf_counter() - start) * 1000)
holder.execute("ROLLBACK")
samples.sort()
p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print(f"{'health, store write-locked':<34} p50 {p(0.50):7.2f} ms   p99 {p(0.99):7.2f} ms   max {samples[-1]:7.2f} ms   ({len(samples)} probes)")
PY
kill -TERM "$pid"
wait "$pid" || true
pid=""

# POST to Klaviyo: a daemon that sends, and the local Klaviyo counting what it accepted.
KLAVIYO_API_KEY=pk_bench "$bin" sandbox --port 0 --data "$work/sandbox" --no-rate-limits >"$work/sandbox.out" 2>/dev/null &
sandbox=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.05; done
klaviyo=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/sandbox.out")
KLAVIYO_API_KEY=pk_bench "$bin" run --data "$work/sending" --http-port 0 --http-insecure-no-token \
    --klaviyo-url "$klaviyo" --no-rate-limits >"$work/send.out" 2>"$work/send.err" &
pid=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/send.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/send.out")
python3 - "$url" "$klaviyo" "$((probes / 3))" <<'PY'
import http.client, json, sys, time, urllib.parse
url, klaviyo, probes = sys.argv[1], sys.argv[2], int(sys.argv[3])
daemon, sandbox = urllib.parse.urlparse(url), urllib.parse.urlparse(klaviyo)
post = http.client.HTTPConnection(daemon.hostname, daemon.port, timeout=30)
stats = http.client.HTTPConnection(sandbox.hostname, sandbox.port, timeout=30)
def accepted():
    stats.request("GET", "/sandbox/stats")
    return json.loads(stats.getresponse().read()).get("accepted", 0)
samples = []
for n in range(probes):
    entry = json.dumps({"id": 95_000_000 + n, "at": "2026-12-01T10:00:00+00:00", "type": "contact.form",
        "customer": {"id": "7000001", "email": "probe@example.com", "first_name": "P", "last_name": "Q",
        "phone": None, "address": None, "status": "Active", "schedule": "Weekly", "box": "Small Box",
        "signup_date": "2026-01-01T00:00:00+00:00", "next_delivery": None, "cancel_date": None,
        "subscribed": True}, "data": {"message": "probe"}}, separators=(",", ":"))
    before = accepted()
    start = time.perf_counter()
    post.request("POST", "/v1/entries", body=entry + "\n", headers={"Content-Type": "application/x-ndjson"})
    post.getresponse().read()
    while accepted() <= before:
        time.sleep(0.001)
    samples.append((time.perf_counter() - start) * 1000)
    time.sleep(0.05)
samples.sort()
p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print(f"{'POST to Klaviyo (sandbox), idle':<34} p50 {p(0.50):7.1f} ms   p99 {p(0.99):7.1f} ms   max {samples[-1]:7.1f} ms   ({len(samples)} probes)")
PY
kill -TERM "$pid" "$sandbox"
wait "$pid" || true
pid=""
