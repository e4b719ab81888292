#!/usr/bin/python3
"""The Cambodia policy question, answered with the readmit Python module.

Cambodia stopped issuing travel documents in October 2016 and asked the US to
amend the 2002 agreement (family unity, childhood arrivals); the US answered
with a visa sanction in September 2017. Had the US agreed to the amendments
from January 2017 instead, would the sanction have been avoided, and what
would it have cost in removals? And would simply doubling Cambodia's
document officers have done as well?

Runs the three scenarios with common random numbers, prints the paired
differences with their 95% intervals, and writes the comparison report.

Usage: /usr/bin/python3 examples/cambodia_policy.py [--replications 200] [--out results/cambodia_policy]
(`import readmit` works after scripts/quickstart.sh; or PYTHONPATH=build/release/python)
"""
import argparse
import os

import readmit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTCOMES = ["months_under_sanction", "removals", "custody_releases", "children_affected", "detention_cost_usd"]


def reading(row):
    """What the paired 95% interval says about the difference."""
    if row.difference_ci95_low > 0:
        return "higher"
    if row.difference_ci95_high < 0:
        return "lower"
    return "no clear difference"


def percent(row):
    scale = 100 / row.baseline_mean
    return (f"{row.difference_mean * scale:+.1f}% (95% CI {row.difference_ci95_low * scale:+.1f}% to "
            f"{row.difference_ci95_high * scale:+.1f}%)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "cambodia_policy"))
    args = parser.parse_args()

    history = readmit.load(os.path.join(ROOT, "scenarios", "cambodia_2017.yaml"))
    amendments = readmit.load(os.path.join(ROOT, "scenarios", "cambodia_2017_humanitarian.yaml"))
    officers = history.with_({"partners.cambodia.agreement.document_officers": 60}, name="cambodia_2017_60_officers")
    results = readmit.compare(history, amendments, officers, replications=args.replications)

    table = results.comparison.query("partner == 'all'").set_index(["alternative", "metric"])
    print(f"{args.replications} paired replications (common random numbers), against {history.name}:")
    for alternative in results.scenarios[1:]:
        print(f"\n{alternative}")
        for metric in OUTCOMES:
            r = table.loc[(alternative, metric)]
            print(f"  {metric:24} {r.baseline_mean:12,.1f} -> {r.alternative_mean:12,.1f}   difference "
                  f"{r.difference_mean:+12,.1f} [{r.difference_ci95_low:+,.1f}, {r.difference_ci95_high:+,.1f}]")

    print()
    for alternative, question in [(amendments.name, "Agreeing to the amendments from January 2017"),
                                  (officers.name, "Doubling Cambodia's document officers")]:
        sanction, removals = table.loc[(alternative, "months_under_sanction")], table.loc[(alternative, "removals")]
        print(f"{question}: months under sanction {sanction.baseline_mean:.1f} -> {sanction.alternative_mean:.1f} "
              f"({reading(sanction)}); removals {reading(removals)}, {percent(removals)}.")
    print(f"report: {results.report(args.out)}")


if __name__ == "__main__":
    main()
