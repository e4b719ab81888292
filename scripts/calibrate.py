#!/usr/bin/python3
"""Calibrate the Cambodia scenario's unsourced parameters to the record of 2015-2018.

Which figures calibrate and which validate is fixed before fitting, in
docs/validation.md ("Calibration and validation split"); this script uses the
calibration set only: FY2016-FY2018 removals, the September 2017 docket, the
dates of DHS's notice and of the first resumed group, and the charters of
FY2018 (docs/sources.md). Everything later is left for scripts/validation.py.

Method: a synthetic likelihood (Wood 2010). At parameters theta, R
replications with one seed (common random numbers: every theta sees the same
random streams) give for each target i a simulated mean m_i and spread s_i;
with an observation error e_i,
    -2 log L(theta) = sum_i (o_i - m_i)^2 / (s_i^2 + e_i^2) + log(s_i^2 + e_i^2).
Nelder-Mead (scipy) finds the minimum on a logit scale between each
parameter's search bounds, so a fitted value can never sit on a bound; a
value whose interval reaches a bound is reported as a defect. Profile
likelihood intervals: for each parameter on a grid, the others are fitted
again; the 90% interval is where -2 log L rises by less than 2.706 (the 90%
point of chi-square with one degree of freedom). Integer parameters are
rounded inside the objective. Every evaluation is cached in
OUT/evaluations.jsonl, so an interrupted fit resumes where it stopped, and
the fit is deterministic.

Parameter uncertainty for validation: docs/fits/CASE-fit.json (tracked, so
a clone can validate without fitting) holds the optimum, the profiles, the
intervals, and a set of parameter draws (independent split normals on the
logit scale matching each profile interval); validation.py runs the
ensemble over those draws.

Usage: /usr/bin/python3 scripts/calibrate.py [--case cambodia|us_2017|all]
       [--replications 8] [--draws 40] [--readmit build/release/readmit]
       [--out results/calibration] [--fits docs/fits] [--doc docs/calibration.md]
       [--skip-profiles] [--reprofile PATH,...]
A full fit of both cases takes about an hour on two busy cores (a few
thousand runs of a few replications); an interrupted fit resumes from the
cache.
"""
import argparse
import csv
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import minimize

import script_support as support
from script_support import ROOT, write_atomically


class Parameter:
    def __init__(self, path, label, low, high, schema_low, schema_high, integer, source, log=False):
        self.path, self.label, self.low, self.high = path, label, low, high
        self.schema_low, self.schema_high, self.integer, self.source = schema_low, schema_high, integer, source
        self.log = log  # searched on a logarithmic scale between its bounds (a scale spanning decades)

    def _scaled(self, x):
        return math.log(x) if self.log else x

    def value(self, u):
        """The parameter at unconstrained u (logistic between the search bounds)."""
        lo, hi = self._scaled(self.low), self._scaled(self.high)
        x = lo + (hi - lo) / (1.0 + math.exp(-u))
        x = math.exp(x) if self.log else x
        return int(round(x)) if self.integer else float(f"{x:.4g}") if self.log else round(x, 4)

    def u(self, x):
        lo, hi = self._scaled(self.low), self._scaled(self.high)
        p = min(max((self._scaled(x) - lo) / (hi - lo), 1e-9), 1 - 1e-9)
        return math.log(p / (1 - p))


class Target:
    def __init__(self, key, label, observed, error, source):
        self.key, self.label, self.observed, self.error, self.source = key, label, observed, error, source


class Case:
    """A scenario, its fitted parameters and its calibration targets."""

    def __init__(self, name, scenario, parameters, targets, measures, monthly, missing_value, sets_of=None, note="",
                 binary=False):
        self.name, self.scenario, self.parameters, self.targets = name, scenario, parameters, targets
        self.binary = binary  # 0/1 targets: a Bernoulli likelihood instead of the synthetic one
        self.measures, self.monthly, self.missing_value = measures, monthly, missing_value
        self.note = note  # what the report says about parameters fixed, and identification
        self.sets_of = sets_of  # point -> [(path, value)]; default: one --set per parameter
        self.fixed_sets = []

    def sets(self, point):
        if self.sets_of:
            return list(self.fixed_sets) + self.sets_of(point)
        return list(self.fixed_sets) + [(p.path, v) for p, v in zip(self.parameters, point)]


HALT_TO_NOTICE = 292  # 28 Oct 2016 -> 16 Aug 2017
HALT_TO_RESUMED = 418  # 28 Oct 2016 -> 20 Dec 2017

# Unsourced parameters of scenarios/cambodia_2017.yaml (marked "fitted" there).
CAMBODIA_PARAMETERS = [
        Parameter("partners.cambodia.cooperation.baseline", "disposition (baseline)", 0.55, 0.995, 0, 1, False,
                  "Cambodia's willingness under the MOU when nothing presses"),
        Parameter("partners.cambodia.population.docket_at_start", "docket, Oct 2015", 1750, 2200, 0, 1e7, True,
                  "final orders at the start, back-cast from Sep 2017"),
        Parameter("partners.cambodia.flights.charter_after_round_days", "days from round to charter", 20, 150, 0,
                  3650, True, "how long ICE takes to fly those a round documented"),
        Parameter("partners.cambodia.bargaining.demand_value", "what Cambodia withholds to press its request", 0.3,
                  3.0, 0, 10, False, "the value of Cambodia's request (at or above its disposition: a halt)"),
        Parameter("partners.cambodia.cooperation.sanction_sensitivity", "Cambodia's answer to a 243(d) step", -1, 3,
                  -3, 3, False, "Cambodia's answer to the sanction (sensitivity)"),
        Parameter("partners.cambodia.bargaining.value_elasticity", "how the demand follows removals", 0.02, 2.0, 0,
                  5, False, "how Cambodia's demand follows the rate of removals breaking ties"),
]
CAMBODIA = Case(
    "cambodia", support.CAMBODIA_SCENARIO, CAMBODIA_PARAMETERS,
    [
        Target("removals_fy2016", "Removals, FY2016", 74, 7, "ICE via press [S] (sources.md §1.4)"),
        Target("removals_fy2017", "Removals, FY2017 (the halt)", 29, 3, "ICE [S] (§1.4)"),
        Target("removals_fy2018", "Removals, FY2018", 110, 11, "ICE [S] (§1.4)"),
        Target("docket_2017_09", "Final-order docket, Sep 2017", 1950, 50, "DHS: more than 1,900 [S] (§1.5)"),
        Target("notice_day", "Days from the halt to DHS's notice (16 Aug 2017)", HALT_TO_NOTICE, 7,
               "State cable [S] (§1.1)"),
        Target("resumed_day", "Days from the halt to the first resumed group (20 Dec 2017)", HALT_TO_RESUMED, 15,
               "press [R] (§1.1)"),
        Target("charters_fy2018", "Charters flown, FY2018", 3, 1, "press: Dec 2017, Apr 2018, Aug 2018 [S/R] (§1.6)"),
        Target("charter_size_fy2018", "Persons per charter, FY2018", 36.5, 6,
               "43 (Apr 2018) [S], ~30 (Aug 2018) [R] (§1.6)"),
    ],
    support.cambodia_measures, support.CAMBODIA_MONTHLY, 3400.0,
    # Cambodia starts at its disposition: cooperation.initial follows the fitted baseline.
    sets_of=lambda point: [(p.path, v) for p, v in zip(CAMBODIA_PARAMETERS, point)] +
    [("partners.cambodia.cooperation.initial", point[0])],
    note="Fixed, not fitted: `interview_round_size` 60, from the record (when fitted, its profile was flat over "
    "40-170). `cooperation.initial` follows the disposition. The US decision rule (escalate_after before and after "
    "EO 13768, the trade scale of standing, the weight of an at-risk finding) is the us_record case's, fitted on "
    "the whole 243(d) record; the days to DHS's notice are Cambodia's part of it. Where a profile reaches its "
    "search range the record cannot pin the value: validation.py draws it from the whole interval, so every "
    "answer carries that uncertainty.")


def sensitivity_sets(point):
    """The sanction sensitivity distribution of every partner but Cambodia (fitted on its own)."""
    mean, sd = point
    value = f"{{dist: normal, mean: {mean}, sd: {sd}, min: -1, max: 1}}"
    return [(f"partners.{p}.cooperation.sanction_sensitivity", value) for p in support.US2017_PARTNERS
            if p != "cambodia"]


# The distribution of sanction sensitivities across the partners of the 2017 list, fitted to the answers of
# three partners sanctioned in September 2017; Burma and Laos (July 2018) and the share that doubled are
# held out (docs/validation.md). The partners' levels before the sanctions are matched first (level_match).
US2017 = Case(
    "us_2017", support.US2017_SCENARIO,
    [
        Parameter("partners.*.cooperation.sanction_sensitivity.mean", "mean sensitivity across partners", -0.6,
                  1.0, -1, 1, False, "the typical answer to a 243(d) sanction"),
        Parameter("partners.*.cooperation.sanction_sensitivity.sd", "spread of sensitivities across partners", 0.02,
                  0.9, 0, 1e9, False, "how much partners differ (dig in, half-work, work)"),
    ],
    [
        Target("sierra_leone_ratio", "Sierra Leone, 2019 / FY2017 removals", 87 / 41, 0.25, "CIS [R] (§2.4)"),
        Target("guinea_ratio", "Guinea, 2019 / FY2017 removals", 101 / 90, 0.15, "CIS [R] (§2.4)"),
        Target("eritrea_ratio", "Eritrea, 2019 / FY2017 removals", 49 / 42, 0.15, "CIS [R] (§2.4)"),
    ],
    support.us2017_measures, (), math.nan, sets_of=sensitivity_sets,
    note="Both moments are weakly identified: three ratios of small counts, each simulated with a sensitivity drawn "
    "for the replication, carry little information, and the profiles stay within 2.5 of their minimum across the "
    "search ranges. The fitted values are strictly inside their ranges; the validation ensemble draws from the "
    "whole of the intervals.")
def record_targets(record):
    """The calibration part of a record: each partner under a step or not at the end of each calibration
    half-year."""
    actions = record.actions()
    targets = []
    for partner in support.record_partners(record.scenario):
        for date in record.calibration_dates:
            observed = 1.0 if support.step_on(actions.get(partner, []), date) > 0 else 0.0
            targets.append(Target(f"{partner}@{date}", f"{partner.replace('_', ' ').title()} under a step, {date}",
                                  observed, 0.0, os.path.relpath(record.actions_path, ROOT)))
    return targets


def record_measures(record):
    partners = []

    def measures(outputs):
        if not partners:
            partners.extend(support.record_partners(record.scenario))
        return support.record_measures(outputs, partners, record)

    return measures


RECORD_NOTE = ("The targets are 0/1 (a partner under a step at a half-year's end, or not); the simulated mean is the "
               "share of replications, and the likelihood is Bernoulli's, each share smoothed as (k + 1/2) / (n + 1) so "
               "that a share of 0 or 1 among a few replications is not taken as certain. ")
# The US decision rule, fitted on the 2016-2017 decisions of the 243(d) record; 2018-2021 validate.
US_RECORD = Case(
    "us_record", support.US_RECORD.scenario,
    [
        Parameter("sanctions.escalate_after", "evidence for a step, under EO 13768", 3, 400, 0.001, 100000, False,
                  "what it takes the US to sanction a partner of no standing (in uncooperative weekly reviews' worth)",
                  log=True),
        Parameter("sanctions.resolve", "the US's readiness before EO 13768", 0.02, 0.99, 0.001, 1000, False,
                  "how ready the US was before EO 13768 (one sanction in 15 years: the Gambia, 2016)", log=True),
        Parameter("sanctions.trade_scale_usd_millions", "trade that doubles the evidence needed", 30, 1e5, 1, math.inf,
                  False, "how much a partner's trade with the US protects it from a 243(d) step", log=True),
        Parameter("sanctions.visas_scale", "visas issued that double the evidence needed", 1000, 1e7, 1, math.inf,
                  False, "how much the visas the US issues to a partner's nationals (students, business, family) "
                  "protect it from a 243(d) step", log=True),
        Parameter("sanctions.at_risk_weight", "evidence of an at-risk finding", 0.01, 0.99, 0, 1, False,
                  "how much an at-risk finding counts toward a step"),
        Parameter("sanctions.discretion_sd", "the spread of the US's discretion", 0.05, 2.0, 0, 3, False,
                  "how much the US's readiness differs from partner to partner (log-normal sd)", log=True),
        Parameter("sanctions.evidence_half_life_days", "how long the US remembers a finding", 30, 1000, 1, math.inf,
                  False, "the half-life of the evidence of non-compliance (days): a halt weighs more the longer it "
                  "is remembered", log=True),
        Parameter("sanctions.waiting_elasticity", "how much the number waiting weighs", 0.0, 1.0, 0, 2, False,
                  "how much a finding weighs by the persons waiting for removal to the partner (officials cite them: "
                  ">1,900 Cambodians, 2,137 Guineans)"),
    ],
    [], record_measures(support.US_RECORD), (), math.nan, binary=True,
    note=RECORD_NOTE + "Each partner's inflow of new final orders is matched first to its FY2017 removals (one "
    "parameter per level: these levels calibrate, they do not validate).")
# The EU decision rule, fitted on the first assessment's outcome (2021); 2022-2024 validate.
EU_RECORD = Case(
    "eu_record", support.EU_RECORD.scenario,
    [
        Parameter("sanctions.escalate_after", "evidence for a proposal", 0.3, 6, 0.001, 100000, False,
                  "what it takes the Commission to propose a step (in uncooperative yearly assessments' worth)",
                  log=True),
        Parameter("sanctions.trade_scale_usd_millions", "EU trade that doubles the evidence the Council needs", 50,
                  1e5, 1, math.inf, False, "how much a partner's trade with the EU keeps the Council from adopting",
                  log=True),
        Parameter("sanctions.security_weight", "standing a CSDP mission adds", 0.01, 100, 0, 1e6, False,
                  "how much the EU's security missions in a partner's country keep the Council from adopting",
                  log=True),
    ],
    [], record_measures(support.EU_RECORD), (), math.nan, note=RECORD_NOTE, binary=True)
CASES = {"cambodia": CAMBODIA, "us_2017": US2017, "us_record": US_RECORD, "eu_record": EU_RECORD}
CHI2_90 = 2.706  # 90% point of chi-square with one degree of freedom


class Objective:
    """-2 log synthetic likelihood of a case, with every evaluation cached on disk."""

    def __init__(self, args, case):
        self.args, self.case = args, case
        self.cache_path = os.path.join(args.out, f"{case.name}-evaluations.jsonl")
        # A cached evaluation is valid for this simulator and this scenario (as resolved, every file it
        # extends included) only.
        with open(args.readmit, "rb") as f:
            digest = hashlib.sha1(f.read())
        digest.update(subprocess.run([args.readmit, "show", case.scenario], check=True, capture_output=True).stdout)
        self.binary = digest.hexdigest()[:16]
        self.cache = {}
        if os.path.exists(self.cache_path):
            with open(self.cache_path) as f:
                for line in f:
                    entry = json.loads(line)
                    if (entry["replications"], entry["seed"], entry["fixed"], entry.get("binary")) == (
                            args.replications, args.seed, [list(x) for x in case.fixed_sets], self.binary):
                        self.cache[tuple(entry["point"])] = entry["measures"]
        self.workdir = tempfile.mkdtemp(prefix="calibrate-")
        self.evaluations = 0

    def measures(self, point):
        key = tuple(point)
        if key not in self.cache:
            out = os.path.join(self.workdir, "run")
            support.run_readmit(self.args.readmit, self.case.scenario, out, self.args.replications,
                                seed=self.args.seed, sets=self.case.sets(point), monthly=bool(self.case.monthly),
                                threads=self.args.threads, output_metrics=list(self.case.monthly) or None)
            measures = self.case.measures(support.RunOutputs(out, self.case.monthly))
            self.cache[key] = {t.key: measures[t.key] for t in self.case.targets}
            with open(self.cache_path, "a") as f:
                f.write(json.dumps({"point": list(point), "replications": self.args.replications,
                                    "seed": self.args.seed, "fixed": [list(x) for x in self.case.fixed_sets],
                                    "binary": self.binary,
                                    "measures": self.cache[key]}) + "\n")
            self.evaluations += 1
            if sys.stderr.isatty():
                print(f"\rcalibrate: {self.evaluations} runs", end="", file=sys.stderr, flush=True)
        return self.cache[key]

    def summary(self, point):
        """Per target: simulated mean and standard deviation over replications."""
        out = {}
        for t in self.case.targets:
            xs = self.measures(point)[t.key]
            # A replication without the event (e.g. no notice at all) counts as the horizon's end.
            xs = [x if not (isinstance(x, float) and math.isnan(x)) else self.case.missing_value for x in xs]
            xs = [x for x in xs if not math.isnan(x)]
            mean = sum(xs) / len(xs)
            sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / max(len(xs) - 1, 1))
            out[t.key] = (mean, sd)
        return out

    def value(self, point):
        total = 0.0
        if self.case.binary:
            # -2 log L of 0/1 outcomes under the simulated shares, each smoothed as (k + 1/2) / (n + 1)
            # (Jeffreys) so that a share of 0 or 1 among a few replications is not taken as certain.
            n = self.args.replications
            for t, (mean, _) in zip(self.case.targets, self.summary(point).values()):
                p = (mean * n + 0.5) / (n + 1)
                total -= 2 * math.log(p if t.observed == 1 else 1 - p)
            return total
        for t, (mean, sd) in zip(self.case.targets, self.summary(point).values()):
            variance = sd * sd + t.error * t.error
            total += (t.observed - mean) ** 2 / variance + math.log(variance)
        return total


def points(case, us, free, fixed):
    """The parameter values at unconstrained us for the free parameters, `fixed` for the others."""
    u = dict(fixed)
    u.update(zip(free, us))
    return [case.parameters[i].value(u[i]) for i in range(len(case.parameters))]


def fit(objective, start_u, free, fixed, max_evaluations, step=0.6):
    """Nelder-Mead from start_u over the free parameters. The first simplex spans `step` on the logit scale in
    every direction (about a tenth of a search range near its middle), wide enough that integer parameters,
    rounded inside the objective, move."""
    case = objective.case
    x0 = np.array([start_u[i] for i in free])
    simplex = np.vstack([x0] + [x0 + step * np.eye(len(free))[i] for i in range(len(free))])
    result = minimize(lambda us: objective.value(points(case, us, free, fixed)), x0, method="Nelder-Mead",
                      options={"maxfev": max_evaluations, "xatol": 0.02, "fatol": 0.05, "adaptive": True,
                               "initial_simplex": simplex})
    u = dict(fixed)
    u.update(zip(free, result.x))
    return [u[i] for i in range(len(case.parameters))], float(result.fun)


def profile(objective, best_u, best_value, j, grid_size, max_evaluations):
    """-2 log L over a grid of parameter j, the others refitted; the 90% interval by interpolation."""
    parameters = objective.case.parameters
    p = parameters[j]
    best_x = p.value(best_u[j])
    # The grid runs from 1% to 99% of the search range, so an interval open at a range end shows.
    margin = 0.01 * (p.high - p.low)
    values = sorted(set(np.linspace(p.low + margin, p.high - margin, grid_size).tolist() + [best_x]))
    if p.integer:
        values = sorted(set(int(round(v)) for v in values))
    rows = []
    for v in values:
        if v == best_x:
            rows.append((v, 0.0))
            continue
        free = [i for i in range(len(parameters)) if i != j]
        _, value = fit(objective, best_u, free, {j: p.u(v)}, max_evaluations)
        rows.append((v, value - best_value))

    def crossing(a, b):
        (x1, d1), (x2, d2) = a, b
        return x1 + (CHI2_90 - d1) * (x2 - x1) / (d2 - d1) if d2 != d1 else x1

    lower = upper = best_x
    for a, b in zip(rows, rows[1:]):
        if a[1] > CHI2_90 >= b[1] and b[0] <= best_x:
            lower = crossing(a, b)
        if a[1] <= CHI2_90 < b[1] and a[0] >= best_x:
            upper = crossing(a, b)
    open_low, open_high = rows[0][1] <= CHI2_90, rows[-1][1] <= CHI2_90
    if open_low:
        lower = p.low
    if open_high:
        upper = p.high
    return {"grid": rows, "lower": lower, "upper": upper, "open_low": open_low, "open_high": open_high}


def draws(case, best_u, profiles, count, seed):
    """Parameter sets for the validation ensemble: independent split normals on the logit scale whose 5% and
    95% points are the profile interval's ends (correlations between parameters are ignored)."""
    rng = random.Random(seed)
    sets = []
    for _ in range(count):
        point = []
        for j, p in enumerate(case.parameters):
            prof = profiles.get(p.path)
            if prof is None:
                point.append(p.value(best_u[j]))
                continue
            centre = best_u[j]
            lo = p.u(max(prof["lower"], p.low + 1e-6 * (p.high - p.low)))
            hi = p.u(min(prof["upper"], p.high - 1e-6 * (p.high - p.low)))
            z = rng.gauss(0, 1)
            width = (centre - lo) if z < 0 else (hi - centre)
            point.append(p.value(centre + z * max(width, 0.0) / 1.645))
        sets.append(point)
    return sets


def report_section(args, objective, fit_json):
    case = objective.case
    best_point, best_value, profiles = fit_json["optimum"], fit_json["minus_two_log_likelihood"], fit_json["profiles"]
    summary = objective.summary(best_point)
    lines = [
        f"## `{os.path.relpath(case.scenario, ROOT)}`",
        "",
        f"{len(case.targets)} targets, {len(case.parameters)} fitted parameters; {args.replications} replications per "
        f"evaluation, seed {args.seed}. Minimum of -2 log L: {best_value:.2f}."
        + ("" if not case.fixed_sets else " Levels matched first (one parameter per level, not counted as "
           "validation): " + ", ".join(f"`{k}` = {v}" for k, v in case.fixed_sets) + "."),
        "",
        "| parameter | meaning | search range | schema range | fitted | 90% profile interval | note |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    defects = []
    for j, p in enumerate(case.parameters):
        prof = profiles.get(p.path)
        fitted = best_point[j]
        interval, note = "not profiled", ""
        fmt = (lambda x: f"{x:.0f}") if p.integer else (lambda x: f"{x:.3f}")
        if prof:
            interval = f"[{fmt(prof['lower'])}, {fmt(prof['upper'])}]"
            if prof["open_low"] or prof["open_high"]:
                note = "interval reaches the search range: weakly identified"
        if not (p.low < fitted < p.high) or not (p.schema_low < fitted < p.schema_high):
            note = "AT A BOUND: defect"
            defects.append(p.path)
        lines.append(f"| `{p.path}` | {p.source} | [{p.low:g}, {p.high:g}] | [{p.schema_low:g}, {p.schema_high:g}] | "
                     f"{fitted} | {interval} | {note} |")
    if case.binary:
        # One row per partner: under a step (1) or not (0) at each date, and the simulated share.
        dates = sorted({t.key.split("@")[1] for t in case.targets})
        partners = list(dict.fromkeys(t.key.split("@")[0] for t in case.targets))
        lines += ["", f"Targets ({case.targets[0].source}): under a step at the end of each period, recorded (0/1) "
                  "and simulated (share of replications).", "",
                  "| partner | " + " | ".join(dates) + " |", "| --- | " + " | ".join("---" for _ in dates) + " |"]
        for p in partners:
            cells = []
            for d in dates:
                t = next(t for t in case.targets if t.key == f"{p}@{d}")
                cells.append(f"{t.observed:.0f} / {summary[t.key][0]:.2f}")
            lines.append(f"| {p} | " + " | ".join(cells) + " |")
    else:
        lines += [
            "",
            "| target | observed | observation error (sd) | simulated mean | simulated sd | source |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for t in case.targets:
            mean, sd = summary[t.key]
            lines.append(f"| {t.label} | {t.observed:.3g} | {t.error:g} | {mean:.3g} | {sd:.3g} | {t.source} |")
    if profiles:
        lines += ["", "Profiles (-2 log L above its minimum, the other parameters refitted at each value):", ""]
        for p in case.parameters:
            prof = profiles.get(p.path)
            if prof:
                lines.append(f"- `{p.path}`: " + ", ".join(
                    (f"{int(v)}" if p.integer else f"{v:.3g}") + f": {d:.2f}" for v, d in prof["grid"]))
    if case.note:
        lines += ["", case.note]
    if defects:
        lines += ["", "**Defects:** " + ", ".join(f"`{d}`" for d in defects) + " at a bound of its range."]
    return lines


def level_match(args, case, targets, rounds=3, parameter="agreement.document_officers", integer=True,
                fallback=None):
    """Sets each partner's `parameter` (its document officers, or its inflow of new final orders) so that its
    simulated removals in a reference fiscal year match the record (one parameter per level: these levels then
    calibrate, they do not validate). Each round scales the parameter by record / simulated, at most fourfold,
    until every level is within 10% (or one removal) or `rounds` are spent.
    `fallback(partner)` names what is scaled instead when removals stay too high at the smallest inflow: the
    paths scaled together (a whole number stays whole; a fraction keeps 3 decimals, at least 0.01), raised
    again (to their values in the scenario at most) before the inflow is when removals fall too low."""
    fallbacks = {partner: (fallback(partner) if fallback else []) for partner in targets}
    keys = [(partner, path) for partner in targets for path in [parameter] + fallbacks[partner]]
    start = dict(zip(keys, support.scenario_values(case.scenario, [f"partners.{p}.{path}" for p, path in keys])))
    values = dict(start)
    workdir = tempfile.mkdtemp(prefix="levels-")
    for _ in range(rounds):
        sets = [(f"partners.{p}.{path}", n) for (p, path), n in values.items()]
        support.run_readmit(args.readmit, case.scenario, workdir, args.replications, seed=args.seed, sets=sets,
                            threads=args.threads)
        outputs = support.RunOutputs(workdir)
        matched = True
        for partner, (year, level) in targets.items():
            simulated = sum(outputs.total(r, partner, f"removals_fy{year}") for r in outputs.replications)
            simulated /= len(outputs.replications)
            if abs(simulated - level) <= max(1.0, 0.1 * level):
                continue
            matched = False
            factor = min(4.0, max(0.25, level / max(simulated, 0.5)))
            at_floor = values[(partner, parameter)] <= (1 if integer else 0.1)
            lowered = any(values[(partner, path)] < start[(partner, path)] for path in fallbacks[partner])
            if (factor < 1 and at_floor) or (factor > 1 and lowered):
                for path in fallbacks[partner]:
                    scaled = min(values[(partner, path)] * factor, start[(partner, path)])
                    values[(partner, path)] = (max(1, int(round(scaled))) if isinstance(scaled, int) or
                                               isinstance(start[(partner, path)], int)
                                               else max(0.01, round(scaled, 3)))
                continue
            scaled = values[(partner, parameter)] * factor
            values[(partner, parameter)] = max(1, int(round(scaled))) if integer else max(0.1, round(scaled, 1))
        if matched:
            break
    return [(f"partners.{p}.{path}", n) for (p, path), n in values.items()
            if path == parameter or n != start[(p, path)]]


def record_fallback(partner):
    """What a record partner's too-high removals at the smallest inflow mean: a partner ICE listed in May 2017
    documents fewer than the listed disposition (its conduct, scaled); any other, or one whose conduct the
    timeline changes before FY2017 ends (Cuba, Sierra Leone), has a smaller removable docket in 2016 than the
    count the scenario gives (a later one, or Cuba's including the older cases it refuses)."""
    if partner in support.US2017_PARTNERS and partner not in ("cuba", "sierra_leone"):
        return ["cooperation.initial", "cooperation.baseline"]
    return ["population.docket_at_start"]


def reprofile(args, case, paths):
    """Recomputes the profiles of `paths` around the saved optimum (after widening a search range), keeping the
    rest of the saved fit."""
    path = os.path.join(args.fits, f"{case.name}-fit.json")
    with open(path) as f:
        fit_json = json.load(f)
    case.fixed_sets = [tuple(x) for x in fit_json["fixed_sets"]]
    objective = Objective(args, case)
    best_u = [p.u(float(x)) for p, x in zip(case.parameters, fit_json["optimum"])]
    for j, p in enumerate(case.parameters):
        if p.path in paths:
            fit_json["profiles"][p.path] = profile(objective, best_u, fit_json["minus_two_log_likelihood"], j,
                                                   args.grid, args.profile_evaluations)
    fit_json["draws"] = draws(case, best_u, fit_json["profiles"], args.draws, args.seed)
    fit_json["draw_sets"] = [case.sets(d) for d in fit_json["draws"]]
    write_atomically(path, json.dumps(fit_json, indent=1) + "\n")
    return objective, fit_json


def origin_places(readmit, scenario):
    """{path: (file, line, column)} of every value `readmit show --origin` places in a file."""
    places = {}
    listing = subprocess.run([readmit, "show", scenario, "--origin"], check=True, capture_output=True,
                             text=True).stdout
    for row in listing.splitlines():
        m = re.match(r"^(?P<path>[^:#]+): .*?  # (?P<file>[^;:]+):(?P<line>\d+):(?P<col>\d+)", row)
        if m:
            places[m["path"]] = (m["file"], int(m["line"]), int(m["col"]))
    return places


def fitted_text(p, value, prof):
    """The scenario text of a fitted value: with its 90% profile interval as the declared range, or the number
    alone where the parameter cannot declare one (a field of a distribution)."""
    def number(x, digits=5):  # the value as the fit saved it (validation.py checks it); the range's ends shorter
        if p.integer:
            return str(int(round(x)))
        shown = float(f"{float(x):.{digits}g}")
        return str(int(shown)) if abs(shown) >= 1000 else f"{shown:g}"
    if prof is None:
        return number(value)
    low, high = min(prof["lower"], value), max(prof["upper"], value)
    open_ends = [w for w, is_open in (("below", prof["open_low"]), ("above", prof["open_high"])) if is_open]
    reason = "90% profile interval, docs/calibration.md" + (
        "; open " + " and ".join(open_ends) + ": the record does not bound it within the search range"
        if open_ends else "")
    return f'{{value: {number(value)}, range: [{number(low, 4)}, {number(high, 4)}], origin: fitted, reason: "{reason}"}}'


def saved_fit(args, name):
    """The saved fit of case `name`, refused when the case now fits other parameters than the fit did."""
    path = os.path.join(args.fits, f"{name}-fit.json")
    with open(path) as f:
        fit_json = json.load(f)
    wanted = [p.path for p in CASES[name].parameters]
    if fit_json["parameters"] != wanted:
        sys.exit(f"calibrate: {path} fits {', '.join(fit_json['parameters'])}; the case {name} now fits "
                 f"{', '.join(wanted)}: refit it (--case {name})")
    return fit_json


def apply_fit(args, case, fit_json):
    """Writes each fitted value of `case` where its scenario (or the file it extends) sets it: a number becomes
    {value, range: its 90% profile interval, origin: fitted, reason}; a value already declared so is replaced;
    a field of a distribution (the US list's sensitivity), or a value tied to a fitted one, takes the number
    alone. Levels matched first (fixed_sets) are left to the scenario's author: they say what they match in a
    comment."""
    places = origin_places(args.readmit, case.scenario)
    edits = {}
    for p, value in zip(case.parameters, fit_json["optimum"]):
        path = p.path
        if "*" in path:  # one value shared by every partner through a YAML anchor: where the anchor is
            path = next(k for k in sorted(places) if re.fullmatch(re.escape(path).replace(r"\*", r"[^.]+"), k))
        if path not in places:
            sys.exit(f"calibrate: {p.path} is not set in a file of {case.scenario}; set it there first")
        file, line, col = places[path]
        distribution_field = "*" in p.path
        edits.setdefault(file, []).append((line, col, fitted_text(p, value, None if distribution_field
                                                                 else fit_json["profiles"].get(p.path))))
    # Values tied to a fitted one (Cambodia's initial cooperation follows its disposition): the number alone.
    fitted_paths = {p.path for p in case.parameters}
    for path, value in (case.sets_of(fit_json["optimum"]) if case.sets_of else []):
        if path in fitted_paths or path not in places or not isinstance(value, (int, float)):
            continue
        file, line, col = places[path]
        edits.setdefault(file, []).append((line, col, f"{value:g}"))
    for file, changes in edits.items():
        with open(file, encoding="utf-8") as f:
            lines = f.read().split("\n")
        # Right to left on a line, so that earlier columns stay valid.
        for line, col, text in sorted(changes, key=lambda c: (c[0], -c[1])):
            row, i = lines[line - 1], col - 1
            if re.search(r"\bvalue:\s*$", row[:i]):  # inside {value: ..., range: ...}: the whole map
                start = row.rfind("{", 0, i)
                end = row.index("}", i) + 1
            else:
                start, end = i, i + re.match(r"[^\s,}\]#]+", row[i:]).end()
            rest = row[end:]
            lines[line - 1] = row[:start] + text + (re.sub(r"^\s+#", "   #", rest) if rest.strip() else rest)
        write_atomically(file, "\n".join(lines))
        print(f"calibrate: wrote {len(changes)} fitted values of {case.name} into {os.path.relpath(file, ROOT)}")


def record_levels():
    """Each record partner's FY2017 removals (docs/record/partners.csv), Cambodia's aside (its own case)."""
    levels = {}
    with open(os.path.join(support.RECORD_DIR, "partners.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["quantity"] == "removals" and row["period"] == "FY2017" and row["partner"] != "cambodia":
                levels[row["partner"]] = (2017, float(row["value"]))
    partners = set(support.record_partners(support.US_RECORD.scenario))
    return {p: level for p, level in levels.items() if p in partners}


def run_case(args, case, start):
    objective = Objective(args, case)
    start_u = [p.u(float(x)) for p, x in zip(case.parameters, start)]
    every = list(range(len(case.parameters)))
    best_u, best_value = fit(objective, start_u, every, {}, args.max_evaluations)
    # Restart from the optimum with a smaller simplex: Nelder-Mead's may have collapsed early.
    best_u, best_value = fit(objective, best_u, every, {}, args.max_evaluations, step=0.25)
    best_point = [p.value(u) for p, u in zip(case.parameters, best_u)]
    profiles = {}
    if not args.skip_profiles:
        for j, p in enumerate(case.parameters):
            profiles[p.path] = profile(objective, best_u, best_value, j, args.grid, args.profile_evaluations)
            if min(d for _, d in profiles[p.path]["grid"]) < -0.5:
                print(f"\ncalibrate: profiling {p.path} found a better point; run again to start from it",
                      file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    fit_json = {
        "scenario": os.path.relpath(case.scenario, ROOT),
        "replications": args.replications, "seed": args.seed,
        "parameters": [p.path for p in case.parameters],
        "sets_of_optimum": case.sets(best_point),
        "fixed_sets": case.fixed_sets,
        "optimum": best_point, "minus_two_log_likelihood": best_value,
        "profiles": profiles,
        "draws": draws(case, best_u, profiles, args.draws, args.seed),
        "draw_sets": [case.sets(d) for d in draws(case, best_u, profiles, args.draws, args.seed)],
    }
    write_atomically(os.path.join(args.fits, f"{case.name}-fit.json"), json.dumps(fit_json, indent=1) + "\n")
    print(f"{case.name}: " + ", ".join(f"{p.path}={v}" for p, v in zip(case.parameters, best_point)) +
          f" (-2 log L {best_value:.2f}; {objective.evaluations} new runs)")
    return objective, fit_json


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readmit", default=support.READMIT)
    parser.add_argument("--case", choices=["cambodia", "us_2017", "us_record", "eu_record", "all"], default="all")
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20170913)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--draws", type=int, default=40)
    parser.add_argument("--grid", type=int, default=6, help="profile grid points per parameter (plus the optimum)")
    parser.add_argument("--max-evaluations", type=int, default=300)
    parser.add_argument("--profile-evaluations", type=int, default=40)
    parser.add_argument("--skip-profiles", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="rewrite docs/calibration.md from the saved fits")
    parser.add_argument("--reprofile", default="", help="comma-separated parameter paths: profile them again "
                        "around the saved optimum (after widening a range), keeping the rest of the fit")
    parser.add_argument("--apply", action="store_true", help="write the saved fits' values, with their 90%% "
                        "profile intervals as declared ranges, into the scenario files (then validate and refit)")
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "calibration"),
                        help="the evaluation cache (resumable)")
    parser.add_argument("--fits", default=os.path.join(ROOT, "docs", "fits"),
                        help="where CASE-fit.json is written: the optimum, profiles and draws validation.py runs")
    parser.add_argument("--doc", default=os.path.join(ROOT, "docs", "calibration.md"))
    args = parser.parse_args()
    if not os.access(args.readmit, os.X_OK):
        sys.exit(f"calibrate: no readmit executable at {args.readmit}; build it first (scripts/test.sh)")
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.fits, exist_ok=True)
    sections = {}
    US_RECORD.targets = record_targets(support.US_RECORD)
    EU_RECORD.targets = record_targets(support.EU_RECORD)
    if args.apply:
        for name in (list(CASES) if args.case == "all" else [args.case]):
            apply_fit(args, CASES[name], saved_fit(args, name))
        return
    for name in ([] if args.report_only else ["us_record", "cambodia", "us_2017", "eu_record"] if args.case == "all"
                 else [args.case]):
        case = CASES[name]
        if args.reprofile:
            objective, fit_json = reprofile(args, case, args.reprofile.split(","))
            sections[name] = report_section(args, objective, fit_json)
            continue
        if name == "cambodia":
            start = support.scenario_values(case.scenario, [p.path for p in case.parameters])
        elif name == "us_record":
            case.fixed_sets = level_match(args, case, record_levels(), rounds=16,
                                          parameter="population.inflow_per_month", integer=False,
                                          fallback=record_fallback)
            start = support.scenario_values(case.scenario, [p.path for p in case.parameters])
        elif name == "eu_record":
            start = support.scenario_values(case.scenario, [p.path for p in case.parameters])
        else:
            levels = {p: (y, b) for p, (y, b, _) in support.US2017_BEFORE_AFTER.items()
                      if p not in ("cambodia", "laos")}
            levels["cuba"] = (2019, 136)  # Cuba's one figure, 2019 [R]
            case.fixed_sets = level_match(args, case, levels)
            start = support.scenario_values(case.scenario, ["partners.guinea.cooperation.sanction_sensitivity"])
            start = [start[0]["mean"], start[0]["sd"]] if isinstance(start[0], dict) else [0.15, 0.2]
        objective, fit_json = run_case(args, case, start)
        sections[name] = report_section(args, objective, fit_json)
    for name in CASES:
        path = os.path.join(args.fits, f"{name}-fit.json")
        if name not in sections and os.path.exists(path):
            fit_json = saved_fit(args, name)
            case = CASES[name]
            case.fixed_sets = [tuple(x) for x in fit_json["fixed_sets"]]
            sections[name] = report_section(args, Objective(args, case), fit_json)
    lines = [
        "# Calibration",
        "",
        "Generated by `scripts/calibrate.py`; do not edit by hand. Which figures calibrate and which validate was "
        "fixed before fitting ([validation.md](validation.md), \"Calibration and validation split\"); the figures and "
        "their sources are in [sources.md](sources.md).",
        "",
        "Method: a synthetic likelihood: at each parameter vector, R replications with one seed (common random "
        "numbers) give each target a mean m and a spread s; -2 log L = sum (observed - m)^2 / (s^2 + e^2) + "
        "log(s^2 + e^2), with e the observation's own error. Nelder-Mead (scipy) searches on a logit scale between "
        "each parameter's search bounds, so no fitted value can sit on a bound; profile-likelihood intervals (90%: "
        "-2 log L within 2.706 of its minimum, the other parameters refitted) show how well each is identified. "
        "The validation ensemble (`scripts/validation.py`) draws parameter vectors from split normals matching "
        "these intervals, so its intervals carry the parameters' uncertainty.",
        "",
    ]
    for name in CASES:
        if name in sections:
            lines += sections[name] + [""]
    lines += ["The fitted values are written into the scenarios (lines marked \"fitted\"); `scripts/validation.py` "
              "warns when a scenario no longer carries them."]
    write_atomically(args.doc, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
