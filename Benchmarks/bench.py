#!/usr/bin/env python3
"""The stages of Benchmarks/run: measures each one as a child process (wall time, CPU time from
wait4's rusage, peak anonymous and file-backed memory sampled from /proc every 20 ms), prints the
table, and writes it as JSON and SVG under Benchmarks/results/. Called by Benchmarks/run, which builds
the binaries it is given."""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SEEDS_PER_SECOND = 200_000 / 3600  # the system logfold replaces: 200,000 entries an hour
YEAR_ENTRIES = 2_500_000  # a medium company's year


class Measured:
    """One finished child: its output and what it cost; `threads` is the CPU seconds of each thread name,
    sampled (the last sample before it ended)."""

    def __init__(self, stdout, wall, cpu, anon_mib, file_mib, threads=None):
        self.stdout, self.wall, self.cpu, self.anon_mib, self.file_mib = stdout, wall, cpu, anon_mib, file_mib
        self.threads = threads or {}


def thread_cpu(pid):
    """CPU seconds of each of a live process's threads, summed by thread name (`comm`)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/stat") as stat:
            text = stat.read()
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        # utime and stime are the stat file's 14th and 15th fields, the 12th and 13th after the name.
        seconds[name] = seconds.get(name, 0) + (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def run(command, env=None):
    """Runs command to its end, sampling its memory; fails loudly with its stderr when it fails."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=out, stderr=err, env=env)
    peak = [0, 0]
    threads = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                with open(f"/proc/{child.pid}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                anon = int(fields.get("RssAnon", "0 kB").split()[0])
                mapped = int(fields.get("RssFile", "0 kB").split()[0])
                peak[0], peak[1] = max(peak[0], anon), max(peak[1], mapped)
                # A thread's time only grows, and a thread that ended keeps its last sample.
                for name, used in thread_cpu(child.pid).items():
                    threads[name] = max(threads.get(name, 0), used)
            except (OSError, ValueError):
                pass
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode(errors="replace")
    if child.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({child.returncode}):\n{err.read().decode(errors='replace')}")
    return Measured(stdout, wall, usage.ru_utime + usage.ru_stime, peak[0] / 1024, peak[1] / 1024, threads)


def journal_head(logfold, data):
    stat = json.loads(subprocess.check_output([logfold, "journal", "stat", "--data", data, "--json"]))
    return stat["head"]


def outbox_rows(data):
    """Every outbox row of a data directory's store, all destinations."""
    import sqlite3
    with sqlite3.connect(f"file:{os.path.join(data, 'state.sqlite')}?mode=ro", uri=True) as db:
        return sum(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                   for table in ("outbox", "activecampaign_outbox"))


def queued_rows(data):
    """The outbox rows that keep an entry in a pending rows' index: ActiveCampaign's (Klaviyo's have none since
    schema v15, whose pending rows are read from the outbox floor)."""
    import sqlite3
    with sqlite3.connect(f"file:{os.path.join(data, 'state.sqlite')}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM activecampaign_outbox").fetchone()[0]


def mean_body_bytes(data):
    """The mean length of the outbox rows' bodies, both destinations: the C ceiling writes bodies this long."""
    import sqlite3
    with sqlite3.connect(f"file:{os.path.join(data, 'state.sqlite')}?mode=ro", uri=True) as db:
        total, rows = 0, 0
        for table in ("outbox", "activecampaign_outbox"):
            count, length = db.execute(f"SELECT count(*), coalesce(sum(length(body)), 0) FROM {table}").fetchone()
            total, rows = total + length, rows + count
        return round(total / rows) if rows else 275


def ceiling_rate(output):
    match = re.search(r"([0-9]+) (?:records|entries)/s", output)
    if not match:
        sys.exit(f"bench: no rate in the ceiling's output:\n{output}")
    return float(match.group(1))


def send_stage(args, work, logfold):
    """~100,000 outbox rows to the local Klaviyo with every limit lifted: throughput and the sender's CPU."""
    log = os.path.join(work, "send.jsonl")
    data = os.path.join(work, "send")
    subprocess.check_call([logfold, "generate", "--seed", "2", "--customers", str(args.send_customers),
                           "--days", "365", "--out", log], stdout=subprocess.DEVNULL)
    subprocess.check_call([logfold, "ingest", "--data", data, "--durability", "nosync", log],
                          stdout=subprocess.DEVNULL)
    subprocess.check_call([logfold, "project", "--data", data], stdout=subprocess.DEVNULL)
    rows = json.loads(subprocess.check_output([logfold, "status", "--data", data, "--json"]))["outbox"]["pending"]
    sandbox = subprocess.Popen([logfold, "sandbox", "--port", "0", "--data", os.path.join(work, "sandbox"),
                                "--no-rate-limits"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = sandbox.stdout.readline()
        url = re.search(r"listening on (http\S+)", line).group(1)
        env = dict(os.environ, KLAVIYO_API_KEY="pk_bench")
        sandbox_cpu_before = process_cpu(sandbox.pid)
        measured = run([logfold, "send", "--data", data, "--klaviyo-url", url, "--once", "--no-rate-limits"], env)
        sandbox_cpu = process_cpu(sandbox.pid) - sandbox_cpu_before
        stats = json.loads(urllib.request.urlopen(url + "/sandbox/stats").read())
    finally:
        sandbox.terminate()
        sandbox.wait()
    return rows, measured, sandbox_cpu, stats


def process_cpu(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def row(stage, entries, measured, ceiling=None, note="", rate=None):
    per_second = rate if rate is not None else entries / measured.wall
    return {
        "stage": stage,
        "entries": entries,
        "seconds": round(measured.wall, 2) if measured else None,
        "entries_per_second": round(per_second),
        "seconds_for_year": round(YEAR_ENTRIES / per_second, 1),
        "peak_anonymous_mib": round(measured.anon_mib) if measured else None,
        "peak_file_backed_mib": round(measured.file_mib) if measured else None,
        "cpu_seconds": round(measured.cpu, 2) if measured else None,
        "ceiling_ratio": round(per_second / ceiling, 2) if ceiling else None,
        "seeds_ratio": round(per_second / SEEDS_PER_SECOND),
        "note": note,
        "thread_cpu_seconds": {name: round(used, 1) for name, used in sorted(measured.threads.items())}
        if measured else {},
    }


def table(rows):
    """The table as printed. CPU seconds stand beside wall time: on a shared disk the wall moves ±20%
    between identical runs, the CPU much less, so a change shows in CPU first."""
    width = max(34, max(len(r["stage"]) for r in rows))
    header = (f"{'stage':<{width}} {'entries/s':>11} {'s / year':>9} {'CPU s':>8} {'peak MiB':>9} "
              f"{'÷ ceiling':>10} {'× seeds':>9}")
    lines = [header, "-" * len(header)]
    for r in rows:
        ceiling = f"{r['ceiling_ratio']:.2f}" if r["ceiling_ratio"] is not None else "—"
        memory = f"{r['peak_anonymous_mib']}" if r["peak_anonymous_mib"] is not None else "—"
        cpu = f"{r['cpu_seconds']:.1f}" if r["cpu_seconds"] is not None else "—"
        lines.append(f"{r['stage']:<{width}} {r['entries_per_second']:>11,} {r['seconds_for_year']:>9,.1f} "
                     f"{cpu:>8} {memory:>9} {ceiling:>10} {r['seeds_ratio']:>9,}")
    return "\n".join(lines)


def svg(rows, title):
    """A horizontal bar chart of entries/s on a log scale, C ceilings grey, the seeds' rate as a line."""
    import math
    width, left, bar, gap = 900, 280, 22, 8
    height = 70 + len(rows) * (bar + gap) + 30
    top = max(r["entries_per_second"] for r in rows)
    low = SEEDS_PER_SECOND / 2
    scale = lambda v: left + (width - left - 90) * (math.log10(max(v, low)) - math.log10(low)) / (
        math.log10(top * 1.2) - math.log10(low))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="100%" height="100%" fill="white"/>',
             f'<text x="10" y="22" font-size="15" font-weight="bold">{title}</text>',
             f'<text x="10" y="42" fill="#555">entries (or rows) per second, log scale; grey: C ceilings; '
             f'red line: 200,000 entries/hour</text>']
    for index, r in enumerate(rows):
        y = 60 + index * (bar + gap)
        colour = "#9e9e9e" if r["stage"].startswith("C ceiling") else "#1f6feb"
        end = scale(r["entries_per_second"])
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{r["stage"]}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{end - left:.1f}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{end + 6:.1f}" y="{y + 15}">{r["entries_per_second"]:,}</text>')
    seeds = scale(SEEDS_PER_SECOND)
    parts.append(f'<line x1="{seeds:.1f}" y1="52" x2="{seeds:.1f}" y2="{height - 20}" stroke="#d73a49" '
                 f'stroke-width="2"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--logfold", required=True)
    parser.add_argument("--lmdb-ceiling", required=True)
    parser.add_argument("--sqlite-ceiling", required=True)
    parser.add_argument("--lean-ceiling", required=True)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--send-customers", type=int, default=800)
    parser.add_argument("--out", default="Benchmarks/results")
    args = parser.parse_args()
    logfold = args.logfold
    # The commit measured is the one the binary was built from, just before: read it before the run, so
    # edits made while it runs do not mark it dirty.
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                text=True).stdout.strip())
    work = tempfile.mkdtemp(prefix="logfold-bench-")
    results = []
    try:
        log = os.path.join(work, "year.jsonl")
        print(f"generate: seed 1, {args.customers:,} customers, {args.days} days", flush=True)
        generated = run([logfold, "generate", "--seed", "1", "--customers", str(args.customers), "--days",
                         str(args.days), "--out", log])
        with open(log, "rb") as lines:
            entries = sum(1 for _ in lines)
        results.append(row("generate", entries, generated))

        # The replay's source enables every destination before the year arrives, so enabling one folds
        # nothing (`destination add` on a populated store would fold the whole year for it first).
        empty = os.path.join(work, "empty.jsonl")
        open(empty, "w").close()
        replay_source = os.path.join(work, "nosync")
        for command in (["ingest", "--data", replay_source, empty], ["project", "--data", replay_source],
                        ["destination", "add", "activecampaign", "--data", replay_source]):
            subprocess.check_call([logfold] + command, stdout=subprocess.DEVNULL)

        for durability in ("fsync", "nosync"):
            print(f"ingest --durability {durability}", flush=True)
            data = os.path.join(work, durability)
            ingested = run([logfold, "ingest", "--data", data, "--durability", durability, log])
            head = journal_head(logfold, data)
            if head != entries:
                sys.exit(f"bench: the journal holds {head} entries, the log {entries}")
            ceiling = run([args.lmdb_ceiling, "--from", os.path.join(data, "journal"), "--to",
                           os.path.join(work, f"lmdb-{durability}"), "--durability", durability, "--batch", "2000"])
            ceiling_per_second = ceiling_rate(ceiling.stdout)
            results.append(row(f"ingest ({durability})", entries, ingested, ceiling_per_second))
            results.append(row(f"C ceiling: LMDB appends ({durability})", entries, ceiling))
            shutil.rmtree(os.path.join(work, f"lmdb-{durability}"))
        shutil.rmtree(os.path.join(work, "fsync"))

        print("replay, every destination enabled", flush=True)
        data = replay_source
        replay_into = os.path.join(work, "replay")
        replayed = run([logfold, "replay", "--data", data, "--into", replay_into])
        sqlite = run([args.sqlite_ceiling, "--entries", str(entries), "--batch", "50000", "--mode", "per-batch",
                      "--bulk", "1", "--db", os.path.join(work, "ceiling.sqlite")])
        os.remove(os.path.join(work, "ceiling.sqlite"))
        # The same writes as this replay: its outbox rows per entry (both destinations), today's row shape,
        # and the lean row of ADR 0005 beside it; customers written once, when the replay ends, as a replay
        # writes them since schema v17 (ADR 0005 decision 4).
        # Since 2026-12-05 a replay builds ActiveCampaign's queue index at its end, and its bodies leave out
        # the members the columns hold: the ceiling does the same, with the replay's mean body length.
        # Since schema v18 only Klaviyo's rows (those outside the pending index) have a unique key index.
        rows_per_entry = outbox_rows(replay_into) / entries
        queued_per_entry = queued_rows(replay_into) / entries
        body_bytes = mean_body_bytes(replay_into)
        matched = {}
        for layout in ("wide", "lean"):
            matched[layout] = run([args.lean_ceiling, "--entries", str(entries), "--batch", "50000", "--rows",
                                   f"{rows_per_entry:.2f}", "--queued", f"{queued_per_entry:.2f}",
                                   "--queue-index", "end", "--body-bytes", str(body_bytes), "--key-index", "unqueued",
                                   "--outbox", layout, "--customers", "end",
                                   "--db", os.path.join(work, f"lean-{layout}.sqlite")])
            os.remove(os.path.join(work, f"lean-{layout}.sqlite"))
        matched_per_second = ceiling_rate(matched["wide"].stdout)
        busiest = sorted(replayed.threads.items(), key=lambda item: -item[1])[:2]
        busy = ", ".join(f"{name} {used:.1f} s" for name, used in busiest)
        results.append(row("replay (Klaviyo + ActiveCampaign)", entries, replayed, matched_per_second,
                           note=f"{rows_per_entry:.2f} outbox rows per entry; ÷ ceiling is against the same rows; "
                                f"busiest threads (CPU): {busy}"))
        results.append(row("C ceiling: SQLite replay writes, same rows", entries, matched["wide"],
                           note=f"{rows_per_entry:.2f} rows per entry as this schema writes them ({queued_per_entry:.2f} "
                                f"in a pending index built at the end), bodies of {body_bytes} bytes on average, "
                                "50,000 per transaction, customers once at the end"))
        results.append(row("C ceiling: SQLite, lean rows (ADR 0005)", entries, matched["lean"],
                           note=f"{rows_per_entry:.2f} lean rows per entry (identity, routing, small state)"))
        results.append(row("C ceiling: SQLite, one row per entry", entries, sqlite,
                           note="one customer upsert + one outbox row per entry, 50,000 per transaction"))

        print("digest", flush=True)
        digested = run([logfold, "digest", "--data", replay_into])
        results.append(row("digest", entries, digested, note=digested.stdout.strip()))
        shutil.rmtree(data)
        shutil.rmtree(replay_into)

        print(f"send to the local Klaviyo, limits lifted ({args.send_customers:,} customers' year)", flush=True)
        rows, sent, sandbox_cpu, stats = send_stage(args, work, logfold)
        per_row_us = sent.cpu / rows * 1e6
        results.append(row("send (rows, limits lifted)", rows, sent,
                           note=f"sender CPU {per_row_us:.1f} µs/row; sandbox CPU {sandbox_cpu:.1f} s; "
                                f"accepted {stats.get('accepted')}, requests {stats.get('requests')}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report = {
        "commit": commit + ("-dirty" if dirty else ""),
        "measured_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release(),
                    "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)},
        "workload": {"seed": 1, "customers": args.customers, "days": args.days, "entries": entries,
                     "send_customers": args.send_customers},
        "seeds_entries_per_second": round(SEEDS_PER_SECOND, 1),
        "stages": results,
    }
    print()
    print(table(results))
    for r in results:
        if r["note"]:
            print(f"  {r['stage']}: {r['note']}")
    os.makedirs(args.out, exist_ok=True)
    name = f"{report['measured_at'][:10]}-{report['commit']}"
    with open(os.path.join(args.out, name + ".json"), "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")
    with open(os.path.join(args.out, name + ".svg"), "w") as out:
        out.write(svg(results, f"logfold {report['commit']}, {report['measured_at'][:10]}, "
                               f"{os.cpu_count()} cores: the seeded year ({entries:,} entries)"))
    print(f"\nwritten: {args.out}/{name}.json and .svg")


if __name__ == "__main__":
    main()
