#!/usr/bin/python3
"""Simulated versus observed for the Cambodia case: writes docs/validation.md.

Runs scenarios/cambodia_2017.yaml (N replications, monthly values kept) and
compares each replication with the public record (../shared/background/
facts.md): removals in FY2016-FY2018, the final-order docket in September
2017, the months from the October 2016 document halt to the sanction, the
months from the sanction to removals resuming, and whether the sanction is
still in force at the end of 2022. The simulated median and 90% interval
(5th to 95th percentile over replications) sit next to each observed value.

Usage: /usr/bin/python3 scripts/validation.py [--replications 200]
       [--readmit build/release/readmit] [--out results/validation]
       [--doc docs/validation.md] [--check]
--check exits 1 unless ICE's FY2018 removals (110) fall inside the
simulated 90% interval (the test suite runs it with few replications).
Uses only the standard library, so it runs wherever the test suite does.
"""
import argparse
import collections
import csv
import math
import os
import subprocess
import sys

from script_support import ROOT, write_atomically

SCENARIO = os.path.join(ROOT, "scenarios", "cambodia_2017.yaml")
PARTNER = "cambodia"
HALT_MONTH = "2016-10"  # travel documents stop, 28 Oct 2016 [S]
PENDING = ["stock_prison", "stock_detained", "stock_awaiting_document", "stock_scheduled", "stock_supervised"]


def quantile(values, p):
    """Type 7 quantile (linear interpolation), as readmit's statistics."""
    xs = sorted(values)
    if not xs:
        return math.nan
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


def number(text):
    """A CSV value; readmit writes NA where a value is undefined."""
    return math.nan if text == "NA" else float(text)


def months_apart(a, b):
    """Months from YYYY-MM a to YYYY-MM b."""
    (ya, ma), (yb, mb) = (map(int, a.split("-")), map(int, b.split("-")))
    return (yb - ya) * 12 + (mb - ma)




def simulate(readmit, replications, out):
    subprocess.run([readmit, "run", SCENARIO, "--replications", str(replications), "--monthly", "--out", out],
                   check=True, stdout=subprocess.DEVNULL)
    monthly = collections.defaultdict(dict)  # replication -> {(month, metric): value}
    wanted = set(PENDING) | {"sanction_step", "removals", "cooperation", "compliance_class"}
    with open(os.path.join(out, "monthly.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["partner"] == PARTNER and row["metric"] in wanted:
                monthly[int(row["replication"])][(row["month"], row["metric"])] = number(row["value"])
    totals = collections.defaultdict(dict)
    with open(os.path.join(out, "replications.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["partner"] == PARTNER:
                totals[int(row["replication"])][row["metric"]] = number(row["value"])
    return monthly, totals


def per_replication(monthly, totals):
    """The compared quantities of each replication (NaN where undefined)."""
    measures = collections.defaultdict(list)
    for rep in sorted(monthly):
        values = monthly[rep]
        months = sorted({m for m, _ in values})
        for fy in (2016, 2017, 2018):
            measures[f"removals_fy{fy}"].append(totals[rep].get(f"removals_fy{fy}", math.nan))
        measures["docket_2017_09"].append(sum(values[("2017-09", m)] for m in PENDING))
        sanctioned = [m for m in months if values[(m, "sanction_step")] > 0]
        first = sanctioned[0] if sanctioned else None
        measures["months_halt_to_sanction"].append(months_apart(HALT_MONTH, first) if first else math.nan)
        resumed = [m for m in months if first and m >= first and values[(m, "removals")] > 0]
        measures["months_sanction_to_removals"].append(months_apart(first, resumed[0]) if resumed else math.nan)
        measures["sanction_in_force_2022_12"].append(1.0 if values[(months[-1], "sanction_step")] > 0 else 0.0)
    return measures


ROWS = [  # (key, what, observed value, observed text, source)
    ("removals_fy2016", "Removals, FY2016", 74, "74", "ICE via press [S]"),
    ("removals_fy2017", "Removals, FY2017 (the halt)", 29, "29", "ICE [S]"),
    ("removals_fy2018", "Removals, FY2018", 110, "110", "ICE [S]"),
    ("docket_2017_09", "Final-order docket, Sep 2017", 1900, "> 1,900", "DHS [S]"),
    ("months_halt_to_sanction", "Months from the halt (Oct 2016) to the sanction in force", 11, "11 (13 Sep 2017)", "State cable [S]"),
    ("months_sanction_to_removals", "Months from the sanction to removals resuming", 3, "3 (9 deportees, 20 Dec 2017)", "press [R]"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readmit", default=os.path.join(ROOT, "build", "release", "readmit"))
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "validation"))
    parser.add_argument("--doc", default=os.path.join(ROOT, "docs", "validation.md"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not os.access(args.readmit, os.X_OK):
        sys.exit(f"validation: no readmit executable at {args.readmit}; build it first (scripts/test.sh)")
    monthly, totals = simulate(args.readmit, args.replications, args.out)
    measures = per_replication(monthly, totals)
    n = len(monthly)

    def fmt(x):
        return "–" if math.isnan(x) else f"{x:,.0f}"

    lines = [
        "# Validation: the Cambodia case, simulated against the public record",
        "",
        f"Generated by `scripts/validation.py` from {n} replications of `scenarios/cambodia_2017.yaml`; "
        "do not edit by hand. Observed values and their labels come from `../shared/background/facts.md` "
        "([S] solid, [R] reported). Simulated: median and 90% interval (5th–95th percentile over replications). "
        "Three assumed parameters were fitted to the three fiscal-year removal counts "
        "(`scripts/calibrate.py`, [calibration.md](calibration.md)); the other rows are not fitted.",
        "",
        "| quantity | observed | simulated median | simulated 90% interval | observed inside | source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    inside = {}
    for key, what, observed, text, source in ROWS:
        xs = [x for x in measures[key] if not math.isnan(x)]
        lo, med, hi = quantile(xs, 0.05), quantile(xs, 0.5), quantile(xs, 0.95)
        inside[key] = bool(xs) and lo <= observed <= hi
        undefined = n - len(xs)
        note = f" ({undefined} replications without it)" if undefined else ""
        lines.append(f"| {what} | {text} | {fmt(med)}{note} | [{fmt(lo)}, {fmt(hi)}] | "
                     f"{'yes' if inside[key] else 'no'} | {source} |")
    share = sum(measures["sanction_in_force_2022_12"]) / n
    lines.append(f"| Sanction still in force, Dec 2022 | yes (May 2022: still in force) | "
                 f"in force in {share:.0%} of replications | – | {'yes' if share >= 0.5 else 'no'} | press [S] |")
    lines += [
        "",
        "## Where the model misses",
        "",
    ]
    misses = [what for key, what, *_ in ROWS if not inside[key]]
    if misses:
        lines.append("Observed values outside the simulated 90% interval: " + "; ".join(misses) + ".")
    else:
        lines.append("Every observed value lies inside the simulated 90% interval.")
    lines += [
        "",
        "- The docket is the sum of the pending states at the end of September 2017. DHS's \"more than 1,900\" "
        "is a lower bound; the scenario back-casts its October 2015 docket from it (1,960), so this row is "
        "a consistency check of removals, relief and the assumed inflow, not an independent one.",
        "- The halt is a cooperation collapse (baseline to 0 on 28 October 2016); the few documents decided "
        "in the pipeline still lead to removals, which is why FY2017 is not zero. ICE's 29 include people "
        "removed before the halt's effect reached the charters; the model's decision times are assumed.",
        "- The sanction is the model's own: the default review rule (delays forcing releases) and two "
        "uncooperative quarterly reviews. Its month therefore varies with the quarter the rule first "
        "fires; history has a single date.",
        "- Removals resume at the first flight after cooperation recovers; the December 2017 court order that "
        "stopped a flight of about 50 is not modelled.",
        "",
    ]
    os.makedirs(os.path.dirname(os.path.abspath(args.doc)), exist_ok=True)
    write_atomically(args.doc, "\n".join(lines))
    print(f"validation: {args.doc} ({n} replications)")
    if args.check and not inside["removals_fy2018"]:
        xs = measures["removals_fy2018"]
        sys.exit(f"validation: FY2018 removals 110 outside the simulated 90% interval "
                 f"[{quantile(xs, 0.05):.0f}, {quantile(xs, 0.95):.0f}]")


if __name__ == "__main__":
    main()
