#!/usr/bin/env python3
"""Benchmark workloads of readmit, whole process: wall time, person-days per
second, peak memory and bytes per person, thread scaling with parallel
efficiency, and where the time went (synthesis, simulation, output, from
metadata.json). Medians of --runs runs. Writes bench/results.json and the
results table in bench/README.md (between its BEGIN/END markers).

Run through scripts/bench.sh; with /usr/bin/python3.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from script_support import ROOT, write_atomically
from readmit.folder import FolderReader, read_metadata

WORKLOADS = [
    # name, scenario, replications, targets (a human statement for the table)
    ("us_docket", "scenarios/bench/us_docket.yaml", 1, "<= 1.5 s and <= 150 B/person on 2 threads; efficiency >= 85%"),
    ("cambodia_1000", "scenarios/cambodia_2017.yaml", 1000, "<= 2 s on 2 threads; efficiency >= 85%"),
    ("mid_20_partners", "scenarios/bench/mid_20_partners.yaml", 1, "output < 20% of the run"),
]


def run_once(readmit, scenario, replications, threads, out):
    """One whole-process run; returns wall seconds, peak RSS bytes and metadata."""
    shutil.rmtree(out, ignore_errors=True)
    command = [readmit, "run", scenario, "--replications", str(replications), "--threads", str(threads),
               "--out", out]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{process.stderr.read().decode()}")
    reader = FolderReader(out)
    try:
        meta = read_metadata(reader)
    finally:
        reader.close()
    return wall, usage.ru_maxrss * 1024, meta


def scenario_days(scenario_path, readmit):
    """Days in the scenario's horizon (from `readmit show`)."""
    shown = subprocess.run([readmit, "show", scenario_path], capture_output=True, text=True, cwd=ROOT, check=True)
    start = months = None
    for line in shown.stdout.splitlines():
        if line.startswith("start_date:"):
            start = datetime.date.fromisoformat(line.split(":", 1)[1].strip())
        elif line.startswith("horizon_months:"):
            months = int(line.split(":", 1)[1])
    end_month = start.month - 1 + months
    end = datetime.date(start.year + end_month // 12, end_month % 12 + 1, 1)
    return (end - start).days


def measure(readmit, runs, cores):
    results = []
    scratch = tempfile.mkdtemp(prefix="readmit-bench-")
    try:
        for name, scenario, replications, target in WORKLOADS:
            days = scenario_days(scenario, readmit)
            entry = {"workload": name, "scenario": scenario, "replications": replications, "target": target,
                     "threads": {}}
            # Rounds of every thread count in turn, so that a machine getting
            # slower or faster during the runs weighs on each count alike and
            # the speed-ups compare like with like.
            by_threads = {threads: [] for threads in range(1, cores + 1)}
            for _ in range(runs):
                for threads in by_threads:
                    by_threads[threads].append(
                        run_once(readmit, scenario, replications, threads, os.path.join(scratch, name)))
            for threads, samples in by_threads.items():
                walls = [s[0] for s in samples]
                median_index = walls.index(statistics.median_low(walls))
                wall, peak, meta = samples[median_index]
                timings = meta["timings"]
                persons = timings["persons_simulated"]
                output_seconds = timings["output_seconds"]
                entry["threads"][str(threads)] = {
                    "wall_seconds_median": statistics.median(walls),
                    "wall_seconds_all": walls,
                    "peak_rss_bytes": peak,
                    "persons": persons,
                    "bytes_per_person": peak / (persons / replications) if persons else None,
                    "person_days_per_second": persons * days / statistics.median(walls),
                    "synthesis_thread_seconds": timings["synthesis_thread_seconds"],
                    "simulation_thread_seconds": timings["simulation_thread_seconds"],
                    "output_seconds": output_seconds,
                    "output_share": output_seconds / wall,
                }
                print(f"{name}: {threads} thread(s): {statistics.median(walls):.3f} s median of {runs}, "
                      f"peak {peak / 2**20:.0f} MiB", file=sys.stderr)
            # Speed-up: the median over rounds of the 1-thread wall time over
            # this count's, both from the same round.
            one = entry["threads"]["1"]["wall_seconds_all"]
            for threads, row in entry["threads"].items():
                row["speedup"] = statistics.median(a / b for a, b in zip(one, row["wall_seconds_all"]))
                row["parallel_efficiency"] = row["speedup"] / int(threads)
            results.append(entry)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"host": socket.gethostname(), "cpu": model, "cores": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "system": platform.platform(), "load_average_at_start": os.getloadavg()}


def table(results):
    lines = ["| workload | threads | wall (s, median) | speed-up | efficiency | persons | peak memory | bytes/person "
             "| person-days/s | synthesis / simulation / output (s) | output share | target |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
    for entry in results:
        for threads, row in entry["threads"].items():
            lines.append(
                f"| {entry['workload']} | {threads} | {row['wall_seconds_median']:.3f} | {row['speedup']:.2f} | "
                f"{100 * row['parallel_efficiency']:.0f}% | {row['persons']:,} | {row['peak_rss_bytes'] / 2**20:.0f} MiB | "
                f"{row['bytes_per_person']:.0f} | {row['person_days_per_second']:.3g} | "
                f"{row['synthesis_thread_seconds']:.2f} / {row['simulation_thread_seconds']:.2f} / "
                f"{row['output_seconds']:.2f} | {100 * row['output_share']:.0f}% | {entry['target']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readmit", default=os.path.join(ROOT, "build/release/readmit"))
    parser.add_argument("--runs", type=int, default=5, help="runs per workload and thread count (median)")
    parser.add_argument("--quick", action="store_true", help="one run each (a smoke test, not a measurement)")
    parser.add_argument("--max-threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    revision = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip()
    report = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "git_revision": revision, "runs": runs, "machine": machine(),
              "results": measure(args.readmit, runs, args.max_threads)}
    report["machine"]["load_average_at_end"] = os.getloadavg()
    write_atomically(os.path.join(ROOT, "bench", "results.json"), json.dumps(report, indent=2) + "\n")
    readme_path = os.path.join(ROOT, "bench", "README.md")
    with open(readme_path) as f:
        readme = f.read()
    begin, end = "<!-- BEGIN RESULTS -->", "<!-- END RESULTS -->"
    m = report["machine"]
    body = (f"{begin}\nMachine `{m['host']}`: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; "
            f"{report['date']}, git {revision}; median of {runs} run(s); load average "
            f"{m['load_average_at_start'][0]:.2f} at the start, {m['load_average_at_end'][0]:.2f} at the end.\n\n"
            f"{table(report['results'])}\n{end}")
    if begin in readme and end in readme:
        readme = readme[:readme.index(begin)] + body + readme[readme.index(end) + len(end):]
    else:
        readme += "\n" + body + "\n"
    write_atomically(readme_path, readme)
    print(table(report["results"]))


if __name__ == "__main__":
    main()
