"""Scores the model's sanction decisions against a decision record (docs/record/): used by
scripts/validation.py for docs/validation.md.

The record's unit is a partner's state at the end of a half-year: under a step or not. The model's forecast of
a state is the share of replications (over the calibration's parameter draws) in which the partner is under a
step then. A forecast is scored with the Brier score (the mean squared difference between forecast and outcome;
0 is perfect), against naive forecasts:
  - every listed partner sanctioned (1 for every partner of the scenario: all were listed or proposed);
  - the partners on the last list of the calibration period sanctioned, the others not (the US only);
  - the base rate: the share of partner-half-years under a step in the calibration period, for every cell;
  - persistence: each partner's state at the end of the calibration period, carried forward.
Cells whose state an input fixes (no visa services: no step can bite) are true by construction: shown, not
scored.
"""
import csv
import math
import os

import script_support as support

WITHIN_DAYS = 183  # "within a half-year of the record"


def read_lists(path=None):
    """docs/record/ice_lists.csv: {list date: {partner: status}}."""
    lists = {}
    with open(path or os.path.join(support.RECORD_DIR, "ice_lists.csv"), newline="") as f:
        for row in csv.DictReader(f):
            lists.setdefault(row["list_date"], {})[row["partner"]] = row["status"]
    return lists


def fixed_cells(record, no_bite):
    """{(partner, date)} whose state an input fixes: `no_bite` maps a partner to the first date from which no
    visa sanction can bite it."""
    return {(p, d) for p, since in no_bite.items() for d in record.dates if d >= since}


def brier(pairs):
    pairs = list(pairs)
    return sum((p - o) ** 2 for p, o in pairs) / len(pairs) if pairs else math.nan


def share(values):
    xs = [x for x in values if not math.isnan(x)]
    return sum(xs) / len(xs) if xs else math.nan


def scores(record, measures, partners, listed, fixed):
    """Rows (period, cells, model, every listed, the last list, base rate, persistence) of Brier scores; `listed`
    is the set of partners on the calibration period's last list (None: no such list)."""
    actions = record.actions()
    cal, val = record.calibration_dates, record.validation_dates
    outcome = {(p, d): 1.0 if support.step_on(actions.get(p, []), d) > 0 else 0.0 for p in partners for d in cal + val}
    scored_cal = [(p, d) for p in partners for d in cal if (p, d) not in fixed]
    base_rate = sum(outcome[c] for c in scored_cal) / len(scored_cal)
    end = cal[-1]
    rows = []
    for period, dates in ((f"{cal[0][:4]}-{cal[-1][:4]} (calibration)", cal),
                          (f"{val[0][:4]}-{val[-1][:4]} (validation)", val)):
        cells = [(p, d) for p in partners for d in dates if (p, d) not in fixed]
        rows.append((period, len(cells),
                     brier((share(measures[f"{c[0]}@{c[1]}"]), outcome[c]) for c in cells),
                     brier((1.0, outcome[c]) for c in cells),
                     brier((1.0 if c[0] in listed else 0.0, outcome[c]) for c in cells) if listed is not None else None,
                     brier((base_rate, outcome[c]) for c in cells),
                     brier((outcome[(c[0], end)], outcome[c]) for c in cells)))
    return rows, base_rate


def partner_rows(record, measures, partners):
    """Per partner: the record (first step and its date, top step, lifted) and the model (share under a step by
    the end, first step's dates, share within a half-year of the record's, modal top step, share lifted)."""
    actions = record.actions()
    end = record.dates[-1]
    rows = []
    for p in partners:
        steps = [(d, s) for d, s, _ in actions.get(p, []) if d <= end]
        first_record = next(((d, s) for d, s in steps if s > 0), None)
        firsts = [x for x in measures[f"{p}#first"] if not math.isnan(x)]
        n = len(measures[f"{p}#first"])
        within = math.nan
        if first_record:
            day = support.day_of(first_record[0], record.start)
            within = sum(1 for x in firsts if abs(x - day) <= WITHIN_DAYS) / n
        tops = [int(x) for x in measures[f"{p}#top"]]
        rows.append({
            "partner": p, "record": first_record, "record_top": max((s for _, s in steps), default=0),
            "record_lifted": any(s < prev for (_, prev), (_, s) in zip(steps, steps[1:])),
            "sanctioned": len(firsts) / n,
            "first_dates": sorted(record.start.toordinal() + int(x) for x in firsts),
            "within": within, "top_mode": max(set(tops), key=tops.count),
            "lifted": share(measures[f"{p}#lifted"]),
        })
    return rows
