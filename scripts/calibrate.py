#!/usr/bin/python3
"""Calibrate the Cambodia scenario's assumed parameters to ICE's removal counts.

Which parameters are fitted, and to what:
  fitted (labelled [A] in scenarios/cambodia_2017.yaml, no source exists):
    partners.cambodia.flights.commercial_seats_per_week   small groups between charters
    removing_state.raid_size                              re-detentions before October 2017
    sanctions.ladders.us_243d_cambodia.steps.0.pressure_weight
                                                          how far the 2017 step restored cooperation
  observed targets (../shared/background/facts.md, section 1.4, all [S]):
    removals in FY2016 = 74, FY2017 = 29, FY2018 = 110
  everything else is taken as sourced or assumed, not fitted.

Method: a full grid search. Every grid point runs the same replications with
the same seed (common random numbers), so points differ only by their
parameters. The loss is the sum over the three fiscal years of the squared
relative error of the mean simulated removals. Results are appended to
GRID_CSV point by point, so an interrupted search resumes where it stopped.
The table of every point, best first, is written to docs/calibration.md.

Usage: /usr/bin/python3 scripts/calibrate.py [--readmit build/release/readmit]
       [--replications 16] [--out results/calibration]
"""
import argparse
import csv
import itertools
import os
import subprocess
import sys
import tempfile

from script_support import ROOT, write_atomically

SCENARIO = os.path.join(ROOT, "scenarios", "cambodia_2017.yaml")
TARGETS = {"removals_fy2016": 74.0, "removals_fy2017": 29.0, "removals_fy2018": 110.0}
GRID = {
    "partners.cambodia.flights.commercial_seats_per_week": [2, 3, 4],
    "removing_state.raid_size": [20, 60, 100],
    "sanctions.ladders.us_243d_cambodia.steps.0.pressure_weight": [0.9, 1.0],
}




def run_point(readmit, replications, point, workdir):
    """Mean removals per fiscal year (all partners) at one grid point."""
    out = os.path.join(workdir, "point")
    command = [readmit, "run", SCENARIO, "--replications", str(replications), "--out", out]
    for key, value in point.items():
        command += ["--set", f"{key}={value}"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    means = {}
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["partner"] == "all" and row["metric"] in TARGETS:
                means[row["metric"]] = float(row["mean"])
    missing = set(TARGETS) - set(means)
    if missing:
        sys.exit(f"calibrate: {out}/summary.csv has no overall rows for {sorted(missing)}")
    return means


def loss(means):
    return sum(((means[m] - target) / target) ** 2 for m, target in TARGETS.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readmit", default=os.path.join(ROOT, "build", "release", "readmit"))
    parser.add_argument("--replications", type=int, default=16)
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "calibration"))
    parser.add_argument("--doc", default=os.path.join(ROOT, "docs", "calibration.md"))
    args = parser.parse_args()
    if not os.access(args.readmit, os.X_OK):
        sys.exit(f"calibrate: no readmit executable at {args.readmit}; build it first (scripts/test.sh)")
    os.makedirs(args.out, exist_ok=True)
    grid_csv = os.path.join(args.out, "grid.csv")
    keys = list(GRID)
    fields = keys + list(TARGETS) + ["loss", "replications"]

    done = {}
    if os.path.exists(grid_csv):
        with open(grid_csv, newline="") as f:
            for row in csv.DictReader(f):
                if int(row["replications"]) == args.replications:
                    done[tuple(row[k] for k in keys)] = row
    points = [dict(zip(keys, values)) for values in itertools.product(*GRID.values())]
    new_file = not os.path.exists(grid_csv)
    with open(grid_csv, "a", newline="") as f, tempfile.TemporaryDirectory() as workdir:
        writer = csv.DictWriter(f, fieldnames=fields)
        if new_file:
            writer.writeheader()
        for i, point in enumerate(points, 1):
            key = tuple(str(point[k]) for k in keys)
            if key in done:
                continue
            if sys.stderr.isatty():
                print(f"\rcalibrate: point {i}/{len(points)}", end="", file=sys.stderr, flush=True)
            means = run_point(args.readmit, args.replications, point, workdir)
            row = {**point, **{m: f"{v:.2f}" for m, v in means.items()}, "loss": f"{loss(means):.4f}",
                   "replications": args.replications}
            writer.writerow(row)
            f.flush()
            done[key] = {k: str(v) for k, v in row.items()}
    if sys.stderr.isatty():
        print(file=sys.stderr)

    rows = sorted(done.values(), key=lambda r: float(r["loss"]))
    lines = [
        "# Calibration of the Cambodia scenario",
        "",
        "Generated by `scripts/calibrate.py`; do not edit by hand.",
        "",
        "Fitted parameters (assumptions with no source): " + ", ".join(f"`{k}`" for k in keys) + ".",
        "Targets: ICE removals to Cambodia, FY2016 74, FY2017 29, FY2018 110 (facts.md 1.4, [S]).",
        f"Method: full grid, {args.replications} replications per point with common random numbers; "
        "loss = sum of squared relative errors of the mean removals per fiscal year.",
        "Every other parameter is sourced or a stated assumption (see scenarios/cambodia_2017.yaml).",
        "",
        "| " + " | ".join(k.split(".")[-1] if "steps" not in k else "step1_pressure_weight" for k in keys)
        + " | FY2016 | FY2017 | FY2018 | loss |",
        "|" + " --- |" * (len(keys) + 4),
    ]
    for r in rows:
        lines.append("| " + " | ".join(r[k] for k in keys) + " | "
                     + " | ".join(r[m] for m in TARGETS) + f" | {r['loss']} |")
    best = rows[0]
    lines += ["", "Best point: " + ", ".join(f"`{k}` = {best[k]}" for k in keys) + ".",
              "scenarios/cambodia_2017.yaml uses it."]
    write_atomically(args.doc, "\n".join(lines) + "\n")
    print("best: " + ", ".join(f"{k}={best[k]}" for k in keys) + f" (loss {best['loss']})")


if __name__ == "__main__":
    main()
