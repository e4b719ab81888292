"""Shared by the helper scripts: the repository root, atomic writes, running
readmit and reading its outputs (through the package's one output-folder
reader, readmit.folder), and the quantities that calibration and validation
compare with the record (docs/sources.md).

Besides the standard library, pandas (the package's reader): scripts/
calibrate.py adds scipy, scripts/validation.py does not need it.
"""
import collections
import csv
import datetime
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READMIT = os.path.join(ROOT, "build", "release", "readmit")
# The source tree's package: its reader needs no build (the C++ module is loaded only when used).
sys.path.insert(0, os.path.join(ROOT, "sim", "python"))
from readmit.folder import FolderReader  # noqa: E402

# Rows of monthly.csv read at once: it can be far larger than memory.
MONTHLY_CHUNK_ROWS = 1_000_000


def write_atomically(path, text):
    """Writes text under a temporary name beside path, then renames it."""
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path) or ".", delete=False, prefix=".tmp-") as tmp:
        tmp.write(text)
        name = tmp.name
    os.replace(name, path)


def number(text):
    """A CSV value; readmit writes NA where a value is undefined."""
    return math.nan if text in ("NA", "") else float(text)


def quantile(values, p):
    """Type 7 quantile (linear interpolation), as readmit's statistics; NaN for no values."""
    xs = sorted(x for x in values if not math.isnan(x))
    if not xs:
        return math.nan
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


def day_of(date_text, start):
    """Days from `start` (a datetime.date) to an ISO date."""
    return (datetime.date.fromisoformat(date_text) - start).days


def run_readmit(readmit, scenario, out, replications, seed=None, sets=(), monthly=False, threads=None,
                output_metrics=None):
    """Runs `readmit run` quietly; raises CalledProcessError with its message on failure. `output_metrics`
    keeps only those metrics in the monthly files (a list of names)."""
    command = [readmit, "run", scenario, "--replications", str(replications), "--out", out]
    if output_metrics:
        command += ["--output-metrics", ",".join(output_metrics)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if threads is not None:
        command += ["--threads", str(threads)]
    if monthly:
        command.append("--monthly")
    for key, value in sets:
        command += ["--set", f"{key}={value}"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


class RunOutputs:
    """The per-replication outputs of one `readmit run` folder, read lazily:
    run totals (replications.csv), monthly values of chosen metrics
    (monthly.csv, if written) and the event log (events.csv)."""

    def __init__(self, out, monthly_metrics=()):
        self.out = out
        reader = FolderReader(out)
        try:
            self._read(reader, set(monthly_metrics))
        finally:
            reader.close()
        self.replications = sorted(self.totals)

    def _read(self, reader, wanted):
        # Texts as written: partner and detail names stay names, NA stays a missing value.
        self.totals = collections.defaultdict(dict)  # replication -> {(partner, metric): value}
        replications = reader.read_csv("replications.csv", dtype={"partner": str}, float_precision="round_trip")
        for row in replications.itertuples(index=False):
            self.totals[int(row.replication)][(row.partner, row.metric)] = float(row.value)
        self.monthly = collections.defaultdict(dict)  # replication -> {(partner, month, metric): value}
        if wanted and reader.exists("monthly.csv"):
            for chunk in reader.csv_chunks("monthly.csv", MONTHLY_CHUNK_ROWS, dtype={"partner": str, "month": str},
                                           float_precision="round_trip"):
                for row in chunk[chunk["metric"].isin(wanted)].itertuples(index=False):
                    self.monthly[int(row.replication)][(row.partner, row.month, row.metric)] = float(row.value)
        self.events = collections.defaultdict(list)  # replication -> [(date, partner, kind, detail)]
        events = reader.read_csv("events.csv", dtype=str)
        for row in events[events["event"] != "review"].itertuples(index=False):
            detail = "" if isinstance(row.detail, float) else row.detail  # an empty detail reads as missing
            self.events[int(row.replication)].append((row.date, row.partner, row.event, detail))

    def total(self, replication, partner, metric):
        return self.totals[replication].get((partner, metric), math.nan)

    def month(self, replication, partner, month, metric):
        return self.monthly[replication].get((partner, month, metric), math.nan)

    def first_event(self, replication, partner, kind, detail_contains=""):
        for date, who, what, detail in self.events[replication]:
            if who == partner and what == kind and detail_contains in detail:
                return date
        return None


def months(first, last):
    """Calendar months 'YYYY-MM' from first to last inclusive."""
    y, m = map(int, first.split("-"))
    out = []
    while True:
        label = f"{y:04d}-{m:02d}"
        out.append(label)
        if label == last:
            return out
        m += 1
        if m == 13:
            y, m = y + 1, 1


def fiscal_year_months(fy):
    """The months of US fiscal year `fy` (October fy-1 to September fy)."""
    return months(f"{fy - 1}-10", f"{fy}-09")


PENDING_STOCKS = ["stock_prison", "stock_detained", "stock_awaiting_document", "stock_scheduled", "stock_supervised"]


# ---- the Cambodia case (scenarios/cambodia_2017.yaml) ----

CAMBODIA_SCENARIO = os.path.join(ROOT, "scenarios", "cambodia_2017.yaml")
CAMBODIA_START = datetime.date(2015, 10, 1)
CAMBODIA_HALT = datetime.date(2016, 10, 28)  # the MFA's letter; travel documents stop [S]
CAMBODIA_MONTHLY = PENDING_STOCKS + ["charters_flown", "charter_removals", "removals", "sanction_step",
                                     "compliance_class", "cooperation", "linkage_suspended"]


def cambodia_measures(outputs):
    """Per replication, every quantity compared with the record: {key: [value per replication]} (NaN where
    a replication lacks it, e.g. no sanction was ever decided)."""
    k = "cambodia"
    halt = (CAMBODIA_HALT - CAMBODIA_START).days
    out = collections.defaultdict(list)

    def after_halt(rep, kind, detail=""):
        date = outputs.first_event(rep, k, kind, detail)
        return day_of(date, CAMBODIA_START) - halt if date else math.nan

    def summed(rep, labels, metric):
        return sum(outputs.month(rep, k, m, metric) for m in labels)

    for rep in outputs.replications:
        for fy in range(2016, 2025):
            out[f"removals_fy{fy}"].append(outputs.total(rep, k, f"removals_fy{fy}"))
        out["removals_total"].append(outputs.total(rep, k, "removals"))
        out["removals_cy2018"].append(summed(rep, months("2018-01", "2018-12"), "removals"))
        for label, month in (("2017_09", "2017-09"), ("2019_07", "2019-07"), ("2024_11", "2024-11")):
            out[f"docket_{label}"].append(sum(outputs.month(rep, k, month, s) for s in PENDING_STOCKS))
        out["notice_day"].append(after_halt(rep, "sanction_decided", "by review"))
        out["sanction_day"].append(after_halt(rep, "sanction_in_force"))
        out["halt_end_day"].append(after_halt(rep, "halt_ended"))
        out["resumed_day"].append(after_halt(rep, "removals_resumed"))
        for label, first, last in (("fy2018", "2017-10", "2018-09"), ("2019", "2019-01", "2020-02")):
            flown = summed(rep, months(first, last), "charters_flown")
            out[f"charters_{label}"].append(flown)
            aboard = summed(rep, months(first, last), "charter_removals")
            out[f"charter_size_{label}"].append(aboard / flown if flown > 0 else math.nan)
        out["sanction_in_force_2022_05"].append(1.0 if outputs.month(rep, k, "2022-05", "sanction_step") > 0 else 0.0)
        out["not_compliant_2020_01"].append(1.0 if outputs.month(rep, k, "2020-01", "compliance_class") > 0 else 0.0)
        out["linkage_suspended_2019_01"].append(outputs.month(rep, k, "2019-01", "linkage_suspended"))
        out["escalated_beyond_step_1"].append(
            1.0 if max(outputs.month(rep, k, m, "sanction_step") for m in months("2017-09", "2022-05")) > 1 else 0.0)
    return out


def scenario_values(scenario, paths, readmit=READMIT, sets=()):
    """The values of dotted parameter paths in the resolved scenario (`readmit show`)."""
    import yaml  # python3-yaml (scripts/setup.sh); only the scripts that read scenarios need it

    command = [readmit, "show", scenario]
    for key, value in sets:
        command += ["--set", f"{key}={value}"]
    shown = yaml.safe_load(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    values = []
    for path in paths:
        node = shown
        for part in path.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        # A value declared with its range ({value, range, origin, reason}) is its value.
        if isinstance(node, dict) and "value" in node and "range" in node:
            node = node["value"]
        values.append(node)
    return values


# ---- the countries ICE listed in 2017 (scenarios/us_2017_uncooperative.yaml) ----

US2017_SCENARIO = os.path.join(ROOT, "scenarios", "us_2017_uncooperative.yaml")
US2017_PARTNERS = ["burma", "cambodia", "china", "cuba", "eritrea", "guinea", "hong_kong", "iran", "laos", "morocco",
                   "sierra_leone", "south_sudan", "vietnam"]
# Removals in the sanction year and in 2019, CIS's table (sources.md §2.4, [R]); the model's years are US
# fiscal years: a September 2017 sanction's year is FY2017, a July 2018 one's FY2018.
US2017_BEFORE_AFTER = {  # partner: (fiscal year of the sanction, removals then, removals in 2019)
    "cambodia": (2017, 29, 110),  # FY2018 for "after", as ICE reports it [S]
    "eritrea": (2017, 42, 49),
    "guinea": (2017, 90, 101),
    "sierra_leone": (2017, 41, 87),
    "burma": (2018, 42, 29),
    "laos": (2018, 0, 6),
}


def us2017_measures(outputs):
    """Per replication: each partner's removals by fiscal year, the after/before ratios of the sanctioned
    partners, the stability of China and Vietnam, and how many of the five with a ratio doubled."""
    out = collections.defaultdict(list)
    for rep in outputs.replications:
        doubled = 0
        for partner, (year, _, _) in US2017_BEFORE_AFTER.items():
            after_year = 2018 if partner == "cambodia" else 2019
            before = outputs.total(rep, partner, f"removals_fy{year}")
            after = outputs.total(rep, partner, f"removals_fy{after_year}")
            out[f"{partner}_before"].append(before)
            out[f"{partner}_after"].append(after)
            ratio = after / before if before > 0 else math.nan
            out[f"{partner}_ratio"].append(ratio)
            if partner != "laos" and not math.isnan(ratio) and ratio >= 2.0:
                doubled += 1
        out["doubled_of_five"].append(doubled)
        for partner in ("china", "vietnam"):
            out[f"{partner}_fy2018"].append(outputs.total(rep, partner, "removals_fy2018"))
            out[f"{partner}_stability"].append(
                outputs.total(rep, partner, "removals_fy2021") / max(outputs.total(rep, partner, "removals_fy2018"), 1))
        out["cuba_fy2019"].append(outputs.total(rep, "cuba", "removals_fy2019"))
    return out


# ---- the decision records (scenarios/*_record.yaml, docs/record/) ----

RECORD_DIR = os.path.join(ROOT, "docs", "record")


class Record:
    """A decision record the model's decisions are scored against: its scenario, its actions file, the half-year
    ends whose states calibrate and those that validate (fixed before fitting), and the partners the removing
    state must leave unsanctioned."""

    def __init__(self, name, scenario, actions, start, calibration_dates, validation_dates, never=()):
        self.name, self.scenario, self.actions_path, self.start = name, scenario, actions, start
        self.calibration_dates, self.validation_dates, self.never = calibration_dates, validation_dates, never

    @property
    def dates(self):
        return self.calibration_dates + self.validation_dates

    def actions(self):
        """{partner: [(date, step, label)]} of the actions that put a step in force (not proposals), by date."""
        actions = collections.defaultdict(list)
        with open(self.actions_path, newline="") as f:
            for row in csv.DictReader(f):
                if row["action"] != "proposal":
                    actions[row["partner"]].append((row["date"], int(row["step"]), row["label"]))
        for steps in actions.values():
            steps.sort()
        return actions


US_RECORD = Record(
    "us_record", os.path.join(ROOT, "scenarios", "us_243d_record.yaml"),
    os.path.join(RECORD_DIR, "us_243d_actions.csv"), datetime.date(2015, 10, 1),
    ["2016-12-31", "2017-06-30", "2017-12-31"],
    ["2018-06-30", "2018-12-31", "2019-06-30", "2019-12-31", "2020-06-30", "2020-12-31", "2021-06-30", "2021-12-31"],
    # Listed by ICE, never sanctioned by the US through 2021 (China's reported step on officials of May 2021 is
    # [R], neither confirmed nor denied; it is scored as the record file has it).
    never=["china", "cuba", "vietnam", "iran", "hong_kong"])
EU_RECORD = Record(
    "eu_record", os.path.join(ROOT, "scenarios", "eu_art25a_record.yaml"),
    os.path.join(RECORD_DIR, "eu_25a_actions.csv"), datetime.date(2019, 1, 1),
    ["2021-12-31", "2022-06-30"],
    ["2022-12-31", "2023-06-30", "2023-12-31", "2024-06-30", "2024-12-31"],
    never=["bangladesh", "iraq", "senegal"])
RECORDS = {r.name: r for r in (US_RECORD, EU_RECORD)}
RECORD_MONTHLY = ["compliance_class"]


def step_on(actions, date):
    """The step in force on `date` from a partner's dated actions (0 before any)."""
    step = 0
    for when, s, _ in actions:
        if when <= date:
            step = s
    return step


def record_partners(scenario, readmit=READMIT):
    """The partners of a scenario, in file order."""
    import yaml

    shown = yaml.safe_load(subprocess.run([readmit, "show", scenario], check=True, capture_output=True,
                                          text=True).stdout)
    return list(shown["partners"])


def record_measures(outputs, partners, record, list_month="2020-01"):
    """Per replication: for each partner and scored date of `record`, whether it is under a step (1) or not (0);
    its first step's date in days from the record's start (NaN if none), its top step, whether a step was lifted,
    and (with the monthly compliance_class) whether its review of `list_month` found it uncooperative."""
    end = record.dates[-1]
    out = collections.defaultdict(list)
    for rep in outputs.replications:
        in_force = collections.defaultdict(list)
        for date, partner, kind, detail in outputs.events[rep]:
            if kind == "sanction_in_force" and date <= end:
                in_force[partner].append((date, int(detail.split()[1]), ""))
        for p in partners:
            steps = in_force[p]
            for d in record.dates:
                out[f"{p}@{d}"].append(1.0 if step_on(steps, d) > 0 else 0.0)
            first = next((date for date, step, _ in steps if step > 0), None)
            out[f"{p}#first"].append(day_of(first, record.start) if first else math.nan)
            out[f"{p}#top"].append(float(max((step for _, step, _ in steps), default=0)))
            out[f"{p}#lifted"].append(1.0 if any(step == 0 for _, step, _ in steps[1:]) else 0.0)
            listed = outputs.month(rep, p, list_month, "compliance_class")
            out[f"{p}#uncooperative"].append(math.nan if math.isnan(listed) else float(listed == 2))
    return out
