"""Shared by the reports of `readmit sweep` and `readmit experiment`: an
output folder of many points (policies run at every point of a design over
uncertain parameters), and the sections built from it.

- PointsFolder reads points.csv, the outcome and difference tables, the
  sensitivity indices, the PRIM boxes and the metadata, for sweeps (one
  policy, sweep.csv) and experiments (summary.csv, differences.csv) alike.
- Sections: what was run (provenance), the design, tornado charts of the
  sensitivity indices with an overview heat map, each outcome (or policy
  difference) against its most influential parameters (points coloured by
  policy, with binned means), PRIM boxes on the plane of two parameters with
  their table, the kept monthly series, and the points' table.

The index a chart ranks parameters by is the design's own: total Sobol
index ST for a Sobol (Saltelli) design, Morris mu* for Morris trajectories,
PRCC otherwise; every index of sensitivity.csv is in the tables.
"""
import math
import os
import re
import sqlite3
import textwrap

import matplotlib.patches as mpatches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from report_common import (COLORS, HEADLINE, date_axis, fmt, fmt_interval, monthly_label, new_figure, provenance,
                           read_csv, read_json, readable_axis, total_label, total_unit)

PARAMETER_TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs",
                               "parameters.md")
TOP_PARAMETERS = 3          # parameters drawn against each outcome
MAX_SERIES_POINTS = 120     # points whose kept series are drawn
MAX_TABLE_POINTS = 500      # rows of the points table
BELOW, ACROSS, ABOVE = "#1f5fa8", "#b8b8b8", "#b22222"
SOBOL_AXIS = (-0.15, 1.15)  # Sobol indices are shares of variance; estimates stray a little beyond [0, 1]
INDEX_WORDS = {
    "prcc": "PRCC", "sobol_first_order": "Sobol S1", "sobol_total": "Sobol ST", "morris_mu_star": "Morris mu*",
    "morris_mu": "Morris mu", "morris_sigma": "Morris sigma",
}


# ---------------------------------------------------------------- reading


class Outcome:
    """An outcome of the experiment: a run total of a partner or of 'all'
    (the name is 'METRIC' or 'PARTNER:METRIC', as in sensitivity.csv)."""

    def __init__(self, name):
        self.name = name
        self.partner, _, self.metric = name.rpartition(":")
        self.partner = self.partner or "all"

    def label(self, short=False):
        text = total_label(self.metric, short=short)
        if self.partner != "all":
            head, _, unit = text.partition(" (")
            text = f"{head}, {self.partner} ({unit}" if unit else f"{head}, {self.partner}"
        return text

    def title(self):
        head = self.label().split(" (")[0]
        return head[:1].upper() + head[1:]

    def unit(self):
        return total_unit(self.metric).split(";")[0]


class PointsFolder:
    """The output folder of `readmit sweep` or `readmit experiment`."""

    def __init__(self, path):
        self.path = path
        self.metadata = read_json(os.path.join(path, "metadata.json"))
        self.kind = self.metadata["command"]
        self.file = self.metadata.get(f"{self.kind}_file", "?")
        self.name = os.path.splitext(os.path.basename(self.file))[0]
        self.design = read_csv(os.path.join(path, "points.csv"))
        self.parameters = [c for c in self.design.columns if c != "point"]
        self.policies = list(self.metadata.get("policies") or [])
        table = read_csv(os.path.join(path, "sweep.csv" if self.kind == "sweep" else "summary.csv"))
        if "policy" not in table:
            table.insert(1, "policy", self.policies[0] if self.policies else self.name)
        self.outcome_table = table
        if not self.policies:
            self.policies = list(dict.fromkeys(table["policy"]))
        self.reference = self.policies[0]
        self.alternatives = self.policies[1:]
        self.differences = self._optional("differences.csv")
        self.sensitivity = self._optional("sensitivity.csv")
        self.prim = self._optional("prim_boxes.csv")
        if self.sensitivity is not None:
            self.sensitivity["baseline"] = self.sensitivity["baseline"].fillna("")
        self.distributions = {p["path"]: p.get("distribution", "") for p in self.metadata.get("parameters", [])}
        self.labels = short_labels(self.parameters)
        self.units = parameter_units(self.parameters)
        named = self.metadata.get("outcomes") or []
        if named:
            self.outcomes = [Outcome(n) for n in named]
        else:
            partner = headline_partner(table)
            present = set(table["metric"])
            self.outcomes = [Outcome(m if partner == "all" else f"{partner}:{m}") for m in HEADLINE if m in present]
        self.first_point = self._first_point_metadata()

    def _optional(self, name):
        path = os.path.join(self.path, name)
        return read_csv(path) if os.path.exists(path) else None

    def _first_point_metadata(self):
        for point in self.design["point"]:
            path = os.path.join(self.point_folder(point), "metadata.json")
            if os.path.exists(path):
                return read_json(path)
        return {}

    def point_folder(self, point):
        return os.path.join(self.path, "points", f"{int(point):04d}")

    # ---- what ran

    @property
    def analysed(self):
        return bool(self.metadata.get("analysed")) and self.sensitivity is not None

    @property
    def method(self):
        return self.metadata.get("design", {}).get("method", "?")

    @property
    def replications(self):
        """Replications per point and policy (the largest n of the outcome table)."""
        n = self.outcome_table["n"]
        return int(n.max()) if len(n) else 0

    @property
    def replication_words(self):
        """'8 replications', '1 replication'."""
        n = self.replications
        return f"{n} replication{'' if n == 1 else 's'}"

    @property
    def seed(self):
        record = self.first_point.get("experiment_point", {})
        if "seed" in record:
            return record["seed"]
        return self.first_point.get("seed", self.metadata.get("sweep", {}).get("seed", "?"))

    def policy_records(self):
        """(name, overlays, overrides) of every policy, from the database (or the first point)."""
        database = os.path.join(self.path, f"{self.kind}.sqlite")
        if os.path.exists(database):
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
                rows = db.execute("select name, overlays, overrides from policies order by policy").fetchall()
            return [(name, [o for o in (overlays or "").split("\n") if o], [o for o in (overrides or "").split("\n")
                                                                             if o]) for name, overlays, overrides in rows]
        return [(p, [], []) for p in self.policies]

    def fixed_overrides(self):
        """The experiment's `set` (and outcome windows): the reference's overrides at a point, without the
        point's values and the policy's name."""
        policies = self.first_point.get("experiment_point", {}).get("policies", [])
        if not policies:
            return []
        own = set(o for _, _, overrides in self.policy_records()[:1] for o in overrides)
        return [o for o in policies[0].get("overrides", [])
                if o.split("=", 1)[0] not in self.parameters and not o.startswith("name=") and o not in own]

    # ---- values

    def values(self, outcome, policy):
        """Per point, the outcome's statistics under a policy (point, mean, ci95_low, ...)."""
        t = self.outcome_table
        rows = t[(t["policy"] == policy) & (t["partner"] == outcome.partner) & (t["metric"] == outcome.metric)]
        return rows.sort_values("point")

    def difference(self, outcome, alternative):
        """Per point, the paired difference alternative - reference of the outcome."""
        if self.differences is None:
            return self.differences
        d = self.differences
        rows = d[(d["alternative"] == alternative) & (d["partner"] == outcome.partner)
                 & (d["metric"] == outcome.metric)]
        return rows.sort_values("point")

    def indices(self, outcome, policy, baseline=""):
        """sensitivity.csv's rows of one outcome of a policy (baseline '') or of a difference."""
        if self.sensitivity is None:
            return None
        s = self.sensitivity
        return s[(s["outcome"] == outcome.name) & (s["policy"] == policy) & (s["baseline"] == baseline)]

    def main_index(self):
        """The index a chart ranks parameters by, as the design allows."""
        present = set(self.sensitivity["index"]) if self.sensitivity is not None else set()
        for index in ("sobol_total", "morris_mu_star", "prcc"):
            if index in present:
                return index
        return None

    def ranking(self, outcome, subjects):
        """Parameters from most to least influential for an outcome, by the
        main index (absolute value), its largest over subjects ((policy,
        baseline) pairs); the design's order when nothing was analysed."""
        index = self.main_index()
        if index is None:
            return list(self.parameters)
        strength = {p: -1.0 for p in self.parameters}
        for policy, baseline in subjects:
            rows = self.indices(outcome, policy, baseline)
            for _, r in rows[rows["index"] == index].iterrows():
                if math.isfinite(r["value"]) and r["parameter"] in strength:
                    strength[r["parameter"]] = max(strength[r["parameter"]], abs(r["value"]))
        return sorted(self.parameters, key=lambda p: -strength[p])

    # ---- axes

    def axis_label(self, parameter):
        """'document_officers (cases at once)', on two lines when long."""
        unit = self.units.get(parameter, "")
        if not unit:
            return self.labels[parameter]
        label = f"{self.labels[parameter]} ({unit})"
        return label if len(label) <= 28 else f"{self.labels[parameter]}\n({unit})"

    def positions(self, parameter):
        """Axis positions of every point's value: the numbers, or 0..k-1 for texts, and the texts."""
        return numeric_or_categories(self.design[parameter])

    def log_scale(self, parameter):
        return self.distributions.get(parameter, "").startswith("log_uniform")


def headline_partner(outcomes):
    partners = [p for p in dict.fromkeys(outcomes["partner"]) if p != "all"]
    return partners[0] if len(partners) == 1 else "all"


def short_labels(paths):
    """The shortest dotted suffix of each path that no other path ends with
    ('document_officers' for partners.cambodia.agreement.document_officers)."""
    labels = {}
    for path in paths:
        parts = path.split(".")
        for k in range(1, len(parts) + 1):
            suffix = ".".join(parts[-k:])
            if not any(other != path and (other == suffix or other.endswith("." + suffix)) for other in paths):
                break
        labels[path] = suffix
    return labels


def parameter_units(paths):
    """Each parameter's unit from the parameter table (docs/parameters.md,
    generated by `readmit schema`; beside the scripts in the source tree and
    in an installation), matching its '*' and '[]' patterns; '' when the
    table is not there or gives no unit."""
    if not os.path.exists(PARAMETER_TABLE):
        return {}
    patterns = []
    row = re.compile(r"^\| `([^`]+)` \| ([^|]*) \| ([^|]*) \|")
    with open(PARAMETER_TABLE, encoding="utf-8") as f:
        for line in f:
            m = row.match(line)
            if m:
                unit = m.group(3).strip()
                if not unit and m.group(2).strip() == "probability":
                    unit = "probability"
                patterns.append((m.group(1).split("."), unit))
    units = {}
    for path in paths:
        parts = path.split(".")
        for pattern, unit in patterns:
            if len(pattern) == len(parts) and all(
                    p == q or p == "*" or (p == "[]" and q.isdigit()) for p, q in zip(pattern, parts)):
                units[path] = unit
                break
    return units


def numeric_or_categories(values):
    """Positions on an axis: the numbers themselves, or 0..k-1 for texts."""
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all():
        return numbers.to_numpy(dtype=float), None
    categories = list(dict.fromkeys(values.astype(str)))
    return np.array([categories.index(v) for v in values.astype(str)], dtype=float), categories


def is_grid(folder):
    return folder.method == "grid"


# ---------------------------------------------------------------- about and design


def about_section(section, folder):
    meta = folder.metadata
    design = meta.get("design", {})
    sizes = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in design.items() if k not in ("method", "seed"))
    shard = meta.get("shard", {})
    extra = [[f"{folder.kind} file", f"{folder.file} (hash {meta.get(f'{folder.kind}_file_hash', '?')})"],
             ["scenario", str(meta.get("scenario", "?"))],
             ["design", f"{folder.method}{' (' + sizes + ')' if sizes else ''}, design seed {design.get('seed', '?')};"
                        f" {len(folder.parameters)} uncertain parameters"],
             ["fixed overrides", "; ".join(folder.fixed_overrides()) or "none"]]
    for i, (name, overlays, overrides) in enumerate(folder.policy_records()):
        what = "; ".join(([f"overlays {', '.join(overlays)}"] if overlays else [])
                         + ([f"set {', '.join(overrides)}"] if overrides else [])) or "the scenario as it is"
        role = "policy (reference)" if i == 0 and len(folder.policies) > 1 else "policy"
        extra.append([role, f"{name}: {what}"])
    extra.append(["outcomes", ", ".join(o.name for o in folder.outcomes) or "none"])
    windows = [w for w in folder.first_point.get("outcome_windows", [])
               if any(o.metric in w.get("totals", []) for o in folder.outcomes)]
    if windows:
        extra.append(["outcome windows", "; ".join(f"{w['name']}: {w['from']} to {w['through']}"
                                                   + ("" if w.get("complete", True) else " (partly simulated)")
                                                   for w in windows)])
    extra.append(["points", f"{meta.get('points_done', '?')} of {meta.get('points_total', '?')} in this folder "
                            f"(shard {shard.get('index', 1)}/{shard.get('count', 1)}; {meta.get('points_run', '?')} "
                            f"run by the last command, {meta.get('points_skipped', '?')} kept from earlier)"])
    extra.append(["seed", f"{folder.seed} (every point and policy: common random numbers)"])
    extra.append(["replications", f"{folder.replication_words} per point and policy"])
    analysis = "sensitivity.csv, prim_boxes.csv" if folder.analysed else meta.get("analysis_skipped",
                                                                                    "none (no outcomes to analyse)")
    extra.append(["analysis", analysis])
    extra.append(["processes", str(meta.get("processes", "?"))])
    provenance(section, meta, folder.path, extra)


def design_section(section, folder):
    design = folder.design
    rows = []
    for p in folder.parameters:
        x, categories = folder.positions(p)
        span = ", ".join(categories) if categories else f"{fmt(np.min(x))} to {fmt(np.max(x))}"
        rows.append([folder.labels[p], p, folder.distributions.get(p, "?"), folder.units.get(p, "") or "-",
                     str(design[p].nunique()), span])
    section.paragraph(f"{len(design)} points of a {folder.method} design over {len(folder.parameters)} uncertain "
                      f"parameters; every point ran every policy ({len(folder.policies)}) with "
                      f"{folder.replication_words} and the same seed.")
    section.table(["short name", "parameter path", "distribution", "unit", "distinct values", "range in the design"],
                  rows, numeric_from=4, break_at_dots=(1,))
    if not folder.parameters:
        return
    k = len(folder.parameters)
    columns = min(k, 4)
    fig, axes = new_figure((k + columns - 1) // columns, columns, width=min(2.6 * columns + 0.6, 10.0),
                           height_per_row=2.1)
    for i, p in enumerate(folder.parameters):
        ax = axes[i // columns][i % columns]
        x, categories = folder.positions(p)
        if categories or len(np.unique(x)) <= 12:
            values, counts = np.unique(x, return_counts=True)
            ax.bar(values, counts, width=0.8 * (np.min(np.diff(values)) if len(values) > 1 else 1.0),
                   color=COLORS[0], alpha=0.75)
            if categories:
                ax.set_xticks(range(len(categories)), categories)
        elif folder.log_scale(p) and np.min(x) > 0:
            ax.hist(x, bins=np.geomspace(np.min(x), np.max(x), 16), color=COLORS[0], alpha=0.75)
            ax.set_xscale("log")
        else:
            ax.hist(x, bins=15, color=COLORS[0], alpha=0.75)
        ax.set_xlabel(folder.axis_label(p))
        ax.set_ylabel("points")
    for j in range(k, len(axes) * columns):
        axes[j // columns][j % columns].set_visible(False)
    fig.suptitle("Where the design put its points")
    section.figure(fig, "design",
                   f"Number of the {len(design)} design points in each bin of each parameter's values (a bar per "
                   "value where there are few; a log axis for log-uniform parameters): the distributions above as "
                   f"the design drew them. Each point ran {folder.replication_words} per policy.")
    table_rows = design.astype(str).values.tolist()[:MAX_TABLE_POINTS]
    note = (f" (the first {MAX_TABLE_POINTS}; every point is in points.csv)" if len(design) > MAX_TABLE_POINTS
            else "")
    section.table(["point"] + [folder.labels[p] for p in folder.parameters], table_rows, numeric_from=1,
                  collapsed=f"Table: every point's values{note}")


# ---------------------------------------------------------------- sensitivity


def method_paragraph(folder):
    """How to read the section's charts: the design's index, once."""
    index = folder.main_index()
    if index == "sobol_total":
        return ("Sobol indices (Saltelli design): the total index ST (Jansen's estimator) is the share of the "
                "variance over the design that a parameter accounts for, alone and through its interactions; the "
                "first-order index S1 (Saltelli's estimator) the share it accounts for alone. ST much larger than S1 "
                "means the parameter acts with others. Intervals are bootstrap percentile intervals over base "
                "samples; with few base samples they are wide, and estimates stray beyond [0, 1].")
    if index == "morris_mu_star":
        return ("Morris elementary effects: mu* is the mean absolute change of the outcome when one parameter moves "
                "by one step of the grid, scaled to the parameter's full range (outcome units per range); sigma, "
                "the spread of those changes, is large when the parameter interacts with others or acts "
                "non-linearly. Intervals are bootstrap percentile intervals over a parameter's effects.")
    return ("PRCC (partial rank correlation coefficient): the correlation of a parameter's rank with the outcome's "
            "rank once the other parameters' ranks are accounted for; near +1 or -1, the parameter moves the "
            "outcome monotonically up or down. Intervals are bootstrap percentile intervals over points; the "
            "p-value tests PRCC = 0.")


def method_words(folder, count):
    """The bars and whiskers of a tornado chart, and how many values are behind them, for its caption."""
    index = folder.main_index()
    points = f"{len(folder.design)} points, each the mean of {folder.replication_words} per policy"
    if index == "sobol_total":
        return (f"Light bar: total Sobol index ST; dark bar: first-order index S1; whiskers: their 95% bootstrap "
                f"percentile intervals over {count} base samples ({points}); an arrow: the interval runs beyond "
                "the axis")
    if index == "morris_mu_star":
        return (f"Bar: Morris mu*; whiskers: its 95% bootstrap percentile interval over up to {count} elementary "
                f"effects ({points}); dot: sigma")
    return (f"Bar: PRCC (pale: p >= 0.05); whiskers: its 95% bootstrap percentile interval over {count} "
            f"points, each the mean of {folder.replication_words} per policy")


def index_axis_label(folder, outcome, difference):
    index = folder.main_index()
    if index == "sobol_total":
        return "Sobol index (share of variance)"
    if index == "morris_mu_star":
        unit = outcome.unit()
        return f"mu*, sigma ({'difference in ' if difference else ''}{unit} per range)"
    return "PRCC (-1 to 1)"


def tornado_panel(ax, folder, rows, order, color):
    """One subject's bars in the given parameter order (top to bottom)."""
    index = folder.main_index()
    y = np.arange(len(order))
    by = {(r["parameter"], r["index"]): r for _, r in rows.iterrows()}

    def values(name):
        got = [by.get((p, name)) for p in order]
        value = np.array([g["value"] if g is not None else np.nan for g in got], dtype=float)
        low = np.array([g["ci95_low"] if g is not None else np.nan for g in got], dtype=float)
        high = np.array([g["ci95_high"] if g is not None else np.nan for g in got], dtype=float)
        return value, low, high, got

    def whiskers(yy, value, low, high):
        ok = np.isfinite(low) & np.isfinite(high) & np.isfinite(value)
        ax.errorbar(value[ok], yy[ok], xerr=[value[ok] - low[ok], high[ok] - value[ok]], fmt="none",
                    ecolor="black", elinewidth=0.9, capsize=2.5)

    if index == "sobol_total":
        total, t_low, t_high, _ = values("sobol_total")
        first, f_low, f_high, _ = values("sobol_first_order")
        ax.barh(y, np.nan_to_num(total), height=0.7, color=color, alpha=0.35, label="ST (total)")
        ax.barh(y, np.nan_to_num(first), height=0.35, color=color, alpha=0.95, label="S1 (first order)")
        # Indices are shares of variance: the axis stops a little beyond
        # [0, 1], and a whisker that goes further ends in an arrow.
        lower, upper = SOBOL_AXIS
        whiskers(y - 0.2, np.clip(total, lower, upper), np.clip(t_low, lower, upper), np.clip(t_high, lower, upper))
        whiskers(y + 0.1, np.clip(first, lower, upper), np.clip(f_low, lower, upper), np.clip(f_high, lower, upper))
        for yy, low, high in ((y - 0.2, t_low, t_high), (y + 0.1, f_low, f_high)):
            ax.plot(np.full(np.sum(high > upper), upper), yy[high > upper], ">", color="black", markersize=4)
            ax.plot(np.full(np.sum(low < lower), lower), yy[low < lower], "<", color="black", markersize=4)
        ax.set_xlim(lower, upper)
    elif index == "morris_mu_star":
        mu_star, low, high, _ = values("morris_mu_star")
        sigma, _, _, _ = values("morris_sigma")
        ax.barh(y, np.nan_to_num(mu_star), height=0.6, color=color, alpha=0.75, label="mu*")
        whiskers(y, mu_star, low, high)
        ax.plot(sigma, y, "o", color="black", markersize=4, label="sigma")
        ax.set_xlim(left=0)
        readable_axis(ax, "x")
    else:
        value, low, high, got = values("prcc")
        strong = np.array([g is not None and math.isfinite(g["p_value"]) and g["p_value"] < 0.05 for g in got])
        ax.barh(y[strong], np.nan_to_num(value[strong]), height=0.6, color=color, alpha=0.85, label="p < 0.05")
        ax.barh(y[~strong], np.nan_to_num(value[~strong]), height=0.6, color=color, alpha=0.3, label="p >= 0.05")
        whiskers(y, value, low, high)
        ax.set_xlim(-1.05, 1.05)
    ax.axvline(0, color="black", linewidth=0.7)
    missing = [i for i, p in enumerate(order)
               if not any(by.get((p, name)) is not None and math.isfinite(by[(p, name)]["value"])
                          for name in ("sobol_total", "morris_mu_star", "prcc"))]
    for i in missing:
        ax.text(0.02, y[i], "NA", transform=ax.get_yaxis_transform(), va="center", fontsize=7, color="#777")
    ax.set_yticks(y, [folder.labels[p] for p in order])
    ax.set_ylim(len(order) - 0.5, -0.5)


def tornado_figure(section, folder, outcome, subjects, name, title, difference):
    """One panel per subject ((policy, baseline, label)); parameters in one
    order for all panels, the most influential (largest over panels) first."""
    order = folder.ranking(outcome, [(p, b) for p, b, _ in subjects])
    available = []
    for policy, baseline, label in subjects:
        rows = folder.indices(outcome, policy, baseline)
        finite = rows[np.isfinite(rows["value"])]
        available.append((policy, baseline, label, rows, len(finite) > 0))
    shown = [a for a in available if a[4]]
    constant = [a[2] for a in available if not a[4]]
    if not shown:
        section.paragraph(f"{outcome.title()}: no index can be computed for "
                          f"{', '.join(constant)} (the outcome is the same at every point, or missing).")
        return
    columns = min(len(shown), 4)
    rows_count = (len(shown) + columns - 1) // columns
    fig, axes = new_figure(rows_count, columns, width=max(6.0, min(2.6 * columns + 1.6, 10.0)),
                           height_per_row=0.32 * len(order) + 1.0)
    for i, (policy, baseline, label, rows, _) in enumerate(shown):
        ax = axes[i // columns][i % columns]
        tornado_panel(ax, folder, rows, order, COLORS[folder.policies.index(policy) % len(COLORS)]
                      if policy in folder.policies else COLORS[0])
        ax.set_title(label, fontsize=9)
        ax.set_xlabel(index_axis_label(folder, outcome, difference))
        if i % columns == 0:
            ax.set_ylabel("parameter")
        else:
            ax.set_yticklabels([])
    for j in range(len(shown), rows_count * columns):
        axes[j // columns][j % columns].set_visible(False)
    axes[0][0].legend(loc="lower right", fontsize=7)
    suptitle(fig, title)
    main = [r.loc[r["index"] == folder.main_index(), "n"] for _, _, _, r, _ in shown]
    count = int(max(m.max() for m in main if len(m)))
    caption = f"{method_words(folder, count)}. Parameters are ordered by the largest index over the panels."
    if constant:
        caption += f" No index for {', '.join(constant)}: the outcome does not vary over the points."
    section.figure(fig, name, caption)


def suptitle(fig, text):
    """The figure's title, wrapped to its width."""
    fig.suptitle(textwrap.fill(text, width=int(fig.get_figwidth() * 11)))


def heatmap_figure(section, folder, rows_spec, name, title):
    """rows_spec: (row label, outcome, policy, baseline); cells: the main index
    (PRCC: signed; mu*: relative to the row's largest)."""
    index = folder.main_index()
    matrix = np.full((len(rows_spec), len(folder.parameters)), np.nan)
    for i, (_, outcome, policy, baseline) in enumerate(rows_spec):
        rows = folder.indices(outcome, policy, baseline)
        rows = rows[rows["index"] == index].set_index("parameter")["value"]
        for j, p in enumerate(folder.parameters):
            if p in rows.index:
                matrix[i, j] = rows[p]
        if index == "morris_mu_star" and np.nanmax(np.abs(matrix[i]), initial=0) > 0:
            matrix[i] /= np.nanmax(np.abs(matrix[i]))
    keep = [i for i in range(len(rows_spec)) if np.isfinite(matrix[i]).any()]
    left_out = [rows_spec[i][0] for i in range(len(rows_spec)) if i not in keep]
    if not keep:
        return False
    matrix = matrix[keep]
    labels = [rows_spec[i][0] for i in keep]
    signed = index == "prcc"
    fig, axes = new_figure(1, 1, width=min(3.2 + 1.5 * len(folder.parameters), 10.0),
                           height_per_row=0.3 * len(labels) + 1.2)
    ax = axes[0][0]
    image = ax.imshow(matrix, aspect="auto", cmap="RdBu_r" if signed else "Blues", vmin=-1 if signed else 0, vmax=1,
                      interpolation="nearest")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            v = matrix[i, j]
            text = "NA" if not math.isfinite(v) else f"{v:.2f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if math.isfinite(v) and abs(v) > 0.6 else "black")
    ax.set_xticks(range(len(folder.parameters)), [folder.labels[p] for p in folder.parameters], rotation=15,
                  ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.grid(False)
    ax.set_xlabel("parameter")
    ax.set_ylabel("outcome")
    words = {"sobol_total": "total Sobol index ST", "morris_mu_star": "Morris mu*, relative to the row's largest",
             "prcc": "PRCC"}[index]
    fig.colorbar(image, ax=ax, shrink=0.8, label=words)
    suptitle(fig, title)
    section.figure(fig, name,
                   f"Cell: the {words} of the parameter (column) for the outcome (row), from "
                   f"{len(folder.design)} points of {folder.replication_words} each; the tornado charts "
                   "below give the intervals. NA: not computable."
                   + (f" Left out (the same value at every point, so no index): {', '.join(left_out)}."
                      if left_out else ""))
    return True


def indices_table(section, folder, outcomes, subjects, collapsed):
    """Every index of sensitivity.csv for the subjects ((policy, baseline, label)), one row per
    outcome, subject and parameter."""
    table = []
    names = [n for n in INDEX_WORDS if n in set(folder.sensitivity["index"])]
    for outcome in outcomes:
        for policy, baseline, label in subjects:
            rows = folder.indices(outcome, policy, baseline)
            for p in folder.ranking(outcome, [(policy, baseline)]):
                cells = [outcome.name, label, folder.labels[p]]
                for name in names:
                    r = rows[(rows["parameter"] == p) & (rows["index"] == name)]
                    if r.empty:
                        cells.append("")
                        continue
                    r = r.iloc[0]
                    text = f"{fmt(r['value'], 3)} {fmt_interval(r['ci95_low'], r['ci95_high'])}"
                    if name == "prcc" and math.isfinite(r["p_value"]):
                        text += f" p={r['p_value']:.2g}"
                    cells.append(text)
                table.append(cells)
    section.table(["outcome", "of", "parameter"] + [INDEX_WORDS[n] for n in names], table, numeric_from=3,
                  caption="value [95% bootstrap percentile interval]; PRCC with its two-sided p-value; NA: not "
                  "computable. Every row is in sensitivity.csv.", collapsed=collapsed)


def level_subjects(folder):
    return [(p, "", p) for p in folder.policies]


def difference_subjects(folder):
    return [(a, folder.reference, f"{a} - {folder.reference}") for a in folder.alternatives]


def sensitivity_section(section, folder, difference):
    """Tornado charts of every outcome's indices, of the policies' levels or of their paired differences."""
    subjects = difference_subjects(folder) if difference else level_subjects(folder)
    if not folder.analysed:
        section.note("No sensitivity indices in this folder: "
                     + folder.metadata.get("analysis_skipped", "the file names no outcomes to analyse "
                                                              "(add `outcomes:`)") + ".")
        return
    section.paragraph(method_paragraph(folder))
    spec = [(f"{o.name}" + (f" | {label}" if len(subjects) > 1 else ""), o, p, b) for o in folder.outcomes
            for p, b, label in subjects]
    what = "paired difference from the reference" if difference else "outcome"
    heatmap_figure(section, folder, spec, f"sensitivity_{'differences' if difference else 'outcomes'}_overview",
                   f"Which parameters drive each {what}: {INDEX_WORDS[folder.main_index()]}")
    for k, outcome in enumerate(folder.outcomes):
        title = (f"{outcome.title()}: what drives each policy's difference from {folder.reference}" if difference
                 else f"{outcome.title()}: what drives it" + (" under each policy" if len(subjects) > 1 else ""))
        tornado_figure(section, folder, outcome, subjects,
                       f"tornado_{'difference' if difference else 'outcome'}_{k + 1:02d}", title, difference)
    indices_table(section, folder, folder.outcomes, subjects, "Table: every sensitivity index")


# ---------------------------------------------------------------- against parameters


def binned_means(x, y, bins, categories):
    """Per bin of x (quantile bins, or each value when there are few): the
    centre, the mean of y and the 95% interval of that mean over the bin's points."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) == 0:
        return None
    distinct = np.unique(x)
    if categories or len(distinct) <= bins:
        groups = [(v, y[x == v]) for v in distinct]
    else:
        edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
        which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
        groups = [(np.median(x[which == b]), y[which == b]) for b in range(len(edges) - 1) if (which == b).any()]
    centre, mean, low, high = [], [], [], []
    for c, values in groups:
        m = values.mean()
        half = 1.96 * values.std(ddof=1) / math.sqrt(len(values)) if len(values) > 1 else np.nan
        centre.append(c)
        mean.append(m)
        low.append(m - half)
        high.append(m + half)
    return np.array(centre), np.array(mean), np.array(low), np.array(high)


def bin_count(points):
    return int(min(10, max(3, points // 12)))


def scatter_panel(ax, folder, parameter, series, jitter_seed=0):
    """series: (label, color, frame with point and value, filled mask or None). Points and binned means."""
    x_all, categories = folder.positions(parameter)
    position = dict(zip(folder.design["point"], x_all))
    rng = np.random.default_rng(jitter_seed)
    log = folder.log_scale(parameter) and np.min(x_all) > 0 and not categories
    # Points that share a value (texts, whole numbers) are spread a little sideways.
    distinct = np.unique(x_all)
    jitter = categories is not None or (len(distinct) <= 12 and np.all(distinct == np.round(distinct)))
    step = np.min(np.diff(distinct)) if len(distinct) > 1 else 1.0
    # The first series (the reference) is drawn last, on top of the others.
    for label, color, frame, filled in reversed(series):
        x = frame["point"].map(position).to_numpy(dtype=float)
        y = frame["value"].to_numpy(dtype=float)
        shown_x = x + rng.uniform(-0.12, 0.12, len(x)) * step if jitter else x
        if filled is None:
            ax.scatter(shown_x, y, s=9, color=color, alpha=0.4, linewidths=0)
        else:
            ax.scatter(shown_x[filled], y[filled], s=10, color=color, alpha=0.5, linewidths=0)
            ax.scatter(shown_x[~filled], y[~filled], s=10, facecolors="none", edgecolors=color, alpha=0.5,
                       linewidths=0.7)
        binned = binned_means(x, y, bin_count(len(folder.design)), categories)
        if binned is None:
            continue
        centre, mean, low, high = binned
        order = np.argsort(centre)
        ax.plot(centre[order], mean[order], "-o", color=color, linewidth=1.8, markersize=3, label=label)
        ok = np.isfinite(low[order])
        if ok.any():
            ax.fill_between(centre[order][ok], low[order][ok], high[order][ok], color=color, alpha=0.18,
                            linewidth=0)
    if categories:
        ax.set_xticks(range(len(categories)), categories)
    elif log:
        ax.set_xscale("log")
    ax.set_xlabel(folder.axis_label(parameter))
    readable_axis(ax)


def against_caption(folder, what, filled_words=""):
    n = len(folder.design)
    return (f"Dots: the {what} at each of the {n} points (each the mean of {folder.replication_words}"
            f"{filled_words}); lines: mean of the points in each of up to {bin_count(n)} bins of the parameter "
            "(equal numbers of points; a bin per value for parameters with few values); band: 95% confidence "
            "interval of that bin mean over its points. The other parameters vary across the points of a bin, "
            "so a flat line means this parameter alone moves the outcome little.")


def top_parameters(folder, outcome, subjects):
    return folder.ranking(outcome, subjects)[:TOP_PARAMETERS]


def outcomes_against_section(section, folder):
    """Each outcome against its most influential parameters, points coloured by policy."""
    subjects = [(p, "") for p in folder.policies]
    ranked = "by the largest " + INDEX_WORDS[folder.main_index()] + " over the policies" if folder.analysed else \
        "in the design's order (no sensitivity indices)"
    section.paragraph(f"Each outcome against the {TOP_PARAMETERS} parameters that move it most ({ranked}). "
                      "Every point ran every policy, so the colours are the same points under different policies.")
    for k, outcome in enumerate(folder.outcomes):
        shown = top_parameters(folder, outcome, subjects)
        series = []
        for i, policy in enumerate(folder.policies):
            rows = folder.values(outcome, policy)
            if rows.empty:
                continue
            series.append((policy, COLORS[i % len(COLORS)], rows.rename(columns={"mean": "value"}), None))
        if not series or not shown:
            continue
        fig, axes = new_figure(1, len(shown), width=min(3.3 * len(shown) + 0.4, 10.0), height_per_row=3.0)
        for j, parameter in enumerate(shown):
            ax = axes[0][j]
            scatter_panel(ax, folder, parameter, series, jitter_seed=k)
            if j == 0:
                ax.set_ylabel(outcome.label(short=True))
        if len(series) > 1:
            axes[0][0].legend(loc="best", fontsize=7)
        suptitle(fig, f"{outcome.title()} against the parameters that move it most")
        section.figure(fig, f"outcome_{k + 1:02d}", against_caption(folder, "outcome's mean"))


def grid_outcomes_section(section, folder):
    """A grid sweep: each outcome against each parameter, the point's mean and
    its 95% interval, lines joining the points that share the other
    parameters' values (parallel lines: the parameters act independently)."""
    section.paragraph("Each outcome against each swept parameter: the point's mean with its 95% confidence interval. "
                      "Lines join the points that share the other parameters' values, so parallel lines mean the "
                      "parameters act independently.")
    shown = folder.parameters[:4]
    if len(folder.parameters) > 4:
        section.note("Only the first 4 parameters are drawn.")
    for k, outcome in enumerate(folder.outcomes):
        rows = folder.values(outcome, folder.reference)
        if rows.empty:
            continue
        frame = folder.design.merge(rows, on="point")
        fig, axes = new_figure(1, len(shown), width=min(4.2 * len(shown), 10), height_per_row=3.0)
        for j, parameter in enumerate(shown):
            grid_panel(axes[0][j], folder, frame, parameter)
            axes[0][j].set_ylabel(outcome.label(short=True))
        fig.suptitle(f"{outcome.title()} against the swept parameters")
        section.figure(fig, f"outcome_{k + 1:02d}",
                       f"Dot: mean over the {folder.replication_words} of a point; bar: 95% confidence "
                       "interval of the mean. All points share the seed, so differences between points are not "
                       "blurred by different random draws.")


def grid_panel(ax, folder, frame, parameter):
    x, categories = numeric_or_categories(frame[parameter])
    others = [p for p in folder.parameters if p != parameter]
    groups = list(frame.groupby(others[0] if len(others) == 1 else others, sort=False)) if others else []
    grouped = bool(groups) and all(len(g) > 1 for _, g in groups)
    for j, (key, group) in enumerate(groups if grouped else [((), frame)]):
        gx = x[group.index.to_numpy()] if grouped else x
        order = np.argsort(gx, kind="stable")
        mean = group["mean"].to_numpy()[order]
        low = mean - group["ci95_low"].to_numpy()[order]
        high = group["ci95_high"].to_numpy()[order] - mean
        label = None
        if grouped and len(others) == 1:
            label = f"{folder.labels[others[0]]} = {key if not isinstance(key, tuple) else key[0]}"
        ax.errorbar(gx[order], mean, yerr=[np.nan_to_num(low), np.nan_to_num(high)], fmt="o-" if grouped else "o",
                    color=COLORS[j % len(COLORS)], capsize=3, markersize=4, linewidth=1.2, label=label)
    if categories:
        ax.set_xticks(range(len(categories)), categories)
    elif len(np.unique(x)) <= 10:
        ax.set_xticks(np.unique(x), [f"{v:g}" for v in np.unique(x)])
    ax.set_xlabel(folder.axis_label(parameter))
    readable_axis(ax)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


# ---------------------------------------------------------------- PRIM


def prim_subject_words(row, folder):
    outcome = Outcome(row["outcome"])
    baseline = row["baseline"] if isinstance(row["baseline"], str) and row["baseline"] else ""
    what = (f"the paired difference {row['policy']} - {baseline} of {outcome.label()}" if baseline
            else f"{outcome.label()} under {row['policy']}")
    return what, outcome, baseline


def prim_values(folder, outcome, policy, baseline):
    """Per point, the value the PRIM question looks at (the point's mean, or the mean paired difference)."""
    if baseline:
        rows = folder.difference(outcome, policy)
        return rows.set_index("point")["difference_mean"] if rows is not None else None
    return folder.values(outcome, policy).set_index("point")["mean"]


def box_limits(box_rows):
    """{parameter: (lower, upper, values text, lower quasi-p, upper quasi-p)} of one box's rows."""
    limits = {}
    for _, r in box_rows.iterrows():
        if isinstance(r["parameter"], str) and r["parameter"]:
            limits[r["parameter"]] = (r["lower"], r["upper"], r["values"], r["lower_quasi_p"], r["upper_quasi_p"])
    return limits


def limit_words(folder, parameter, limit):
    """'0.2 <= name <= 0.6', 'name >= 22' (a side without a quasi-p is the data's range: no limit)."""
    lower, upper, values, lower_p, upper_p = limit
    name = folder.labels.get(parameter, parameter)
    low_limited, high_limited = math.isfinite(lower_p), math.isfinite(upper_p)
    if isinstance(values, str) and values:
        text = f"{name} in {{{values}}}"
    elif lower == upper:
        text = f"{name} = {fmt(lower, 3)}"
    elif low_limited and high_limited:
        text = f"{fmt(lower, 3)} <= {name} <= {fmt(upper, 3)}"
    elif low_limited:
        text = f"{name} >= {fmt(lower, 3)}"
    else:
        text = f"{name} <= {fmt(upper, 3)}"
    ps = [f"{side} quasi-p {p:.2g}" for side, p in (("lower", lower_p), ("upper", upper_p)) if math.isfinite(p)]
    return text + (f" ({', '.join(ps)})" if ps else "")


def inside(folder, limits):
    """Per point (design order), whether it lies inside every limit."""
    mask = np.ones(len(folder.design), dtype=bool)
    for parameter, (lower, upper, values, _, _) in limits.items():
        if parameter not in folder.design:
            continue
        if isinstance(values, str) and values:
            kept = set(v.strip() for v in values.split(","))
            mask &= folder.design[parameter].astype(str).isin(kept).to_numpy()
            continue
        x = pd.to_numeric(folder.design[parameter], errors="coerce").to_numpy(dtype=float)
        if math.isfinite(lower):
            mask &= x >= lower
        if math.isfinite(upper):
            mask &= x <= upper
    return mask


def prim_section(section, folder):
    if folder.prim is None:
        section.note("No PRIM boxes in this folder: "
                     + (folder.metadata.get("analysis_skipped") or "the file asks no `prim` question") + ".")
        return
    if folder.prim.empty:
        section.paragraph("The file asks no `prim` question (add `prim:` to find where an outcome crosses a "
                          "threshold).")
        return
    section.paragraph(
        "Scenario discovery with PRIM: for each question (an outcome, or a policy's paired difference, above or "
        "below a threshold), the boxes of the uncertain parameters where the answer is mostly yes. Coverage: the "
        "share of all the cases of interest that fall in the box; density: the share of the box's points that "
        "are cases of interest; mass: the share of all points in the box. A quasi-p value says how likely the "
        "box's hits would be without that limit (small: the limit matters).")
    for query, rows in folder.prim.groupby("query", sort=True):
        prim_query(section, folder, int(query), rows)


def prim_query(section, folder, query, rows):
    first = rows.iloc[0]
    what, outcome, baseline = prim_subject_words(first, folder)
    statement = f"{what} {first['direction']} {fmt(first['threshold'])}"
    cases, points = int(first["points_of_interest"]), int(first["points"])
    boxes = [(int(b), group) for b, group in rows.groupby("box", sort=True) if math.isfinite(b)]
    section.subheading(f"Question {query}: where is {statement}?")
    section.paragraph(f"Cases of interest: {cases} of {points} points "
                      f"({fmt(100.0 * cases / points if points else float('nan'), 3)}%).")
    if not boxes:
        section.note("PRIM found no box whose density reaches the threshold.")
        return
    table = []
    for b, group in boxes:
        r = group.iloc[0]
        limits = box_limits(group)
        words = "; ".join(limit_words(folder, p, limit) for p, limit in limits.items()) or \
            "no limit (the whole space)"
        table.append([str(b), words, fmt(r["coverage"], 3), fmt(r["density"], 3), fmt(r["mass"], 3),
                      f"{int(r['box_points_of_interest'])} of {int(r['box_points'])}"])
    section.table(["box", "limits (quasi-p)", "coverage", "density", "mass", "cases in the box"], table,
                  numeric_from=2, caption=f"PRIM boxes for: {statement}. Each box is found among the points no "
                  "earlier box holds.")
    values = prim_values(folder, outcome, first["policy"], baseline)
    if values is None or values.empty:
        return
    prim_figure(section, folder, query, statement, outcome, baseline, first, boxes, values)


def prim_plane(folder, outcome, policy, baseline, boxes):
    """The two parameters to draw: the first box's restricted ones (smallest
    quasi-p first), completed by the most influential others."""
    limits = box_limits(boxes[0][1])
    restricted = sorted(limits, key=lambda p: min(v for v in limits[p][3:5] if math.isfinite(v))
                        if any(math.isfinite(v) for v in limits[p][3:5]) else 1.0)
    ranked = folder.ranking(outcome, [(policy, baseline)])
    plane = [p for p in restricted if p in folder.parameters][:2]
    plane += [p for p in ranked if p not in plane][:2 - len(plane)]
    return plane


def prim_figure(section, folder, query, statement, outcome, baseline, first, boxes, values):
    plane = prim_plane(folder, outcome, first["policy"], baseline, boxes)
    if len(plane) < 1:
        return
    value = folder.design["point"].map(values).to_numpy(dtype=float)
    threshold = first["threshold"]
    interest = value > threshold if first["direction"] == "above" else value < threshold
    x, x_categories = folder.positions(plane[0])
    if len(plane) > 1:
        y, y_categories = folder.positions(plane[1])
    else:
        y, y_categories = value, None
    fig, axes = new_figure(1, 1, width=8.0, height_per_row=4.6)
    ax = axes[0][0]
    ax.scatter(x[~interest], y[~interest], s=12, color="#9a9a9a", alpha=0.6, linewidths=0, label="other points")
    ax.scatter(x[interest], y[interest], s=14, color="#d2691e", alpha=0.85, linewidths=0, label="cases of interest")
    not_drawn = []
    for b, group in boxes:
        limits = box_limits(group)
        in_box = inside(folder, limits)
        ax.scatter(x[in_box], y[in_box], s=26, facecolors="none", edgecolors="black", linewidths=0.6,
                   label="in a box (every limit)" if b == boxes[0][0] else None)
        x0, x1 = span(limits.get(plane[0]), x, x_categories)
        y0, y1 = span(limits.get(plane[1]), y, y_categories) if len(plane) > 1 else (np.nanmin(y), np.nanmax(y))
        ax.add_patch(mpatches.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=COLORS[(b - 1) % 8],
                                        linewidth=1.8, linestyle="-" if b == 1 else "--"))
        ax.text(x0, y1, f" box {b}", fontsize=7.5, va="bottom", color=COLORS[(b - 1) % 8])
        not_drawn += [folder.labels[p] for p in limits if p not in plane]
    if x_categories:
        ax.set_xticks(range(len(x_categories)), x_categories)
    elif folder.log_scale(plane[0]):
        ax.set_xscale("log")
    if len(plane) > 1:
        if y_categories:
            ax.set_yticks(range(len(y_categories)), y_categories)
        elif folder.log_scale(plane[1]):
            ax.set_yscale("log")
        ax.set_ylabel(folder.axis_label(plane[1]))
    else:
        ax.set_ylabel(outcome.label(short=True))
    ax.set_xlabel(folder.axis_label(plane[0]))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    suptitle(fig, f"PRIM question {query}: {statement}")
    caption = (f"Each dot is one of the {len(folder.design)} points (a point's value is the mean of "
               f"{folder.replication_words}{' of the paired difference' if baseline else ''}); orange: "
               f"the {int(interest.sum())} cases of interest. Rectangles: the boxes' limits on these two parameters "
               "(a side without a limit spans the whole axis); black rings: the points inside every limit of a box.")
    if not_drawn:
        caption += f" Limits on {', '.join(sorted(set(not_drawn)))} are in the table, not drawn."
    if int(interest.sum()) != int(first["points_of_interest"]):
        caption += (f" (prim_boxes.csv counts {int(first['points_of_interest'])} cases: the analysis saw values this "
                    "page does not.)")
    section.figure(fig, f"prim_{query:02d}", caption)


def span(limit, values, categories):
    """The drawn extent of a limit on one axis (the data's range where there is none)."""
    low, high = np.nanmin(values), np.nanmax(values)
    pad = 0.4 if categories else 0.0
    if limit is None:
        return low - pad, high + pad
    lower, upper, texts, _, _ = limit
    if categories and isinstance(texts, str) and texts:
        kept = [categories.index(t.strip()) for t in texts.split(",") if t.strip() in categories]
        return (min(kept) - pad, max(kept) + pad) if kept else (low - pad, high + pad)
    return (lower if math.isfinite(lower) else low) - pad, (upper if math.isfinite(upper) else high) + pad


# ---------------------------------------------------------------- kept series


def point_series(folder, point, metric, policy):
    path = os.path.join(folder.point_folder(point), "timeseries.csv")
    if not os.path.exists(path):
        return None
    frame = read_csv(path)
    rows = frame[(frame["partner"] == "all") & (frame["metric"] == metric)]
    if "scenario" in rows and policy is not None:
        rows = rows[rows["scenario"] == policy]
    rows = rows.copy()
    rows["date"] = pd.to_datetime(rows["month"], format="%Y-%m")
    return rows.sort_values("date")


def series_section(section, folder, metric="stock_removed"):
    """Cumulative removals at every point (its median over replications), a
    panel per policy, coloured by the parameter that moves removals most."""
    design = folder.design
    if not any(os.path.exists(os.path.join(folder.point_folder(p), "timeseries.csv")) for p in design["point"][:5]):
        section.paragraph("The points kept no monthly series (add `keep: [timeseries]` to the file to draw them).")
        return
    removals = next((o for o in folder.outcomes if o.metric.startswith("removals")), Outcome("removals"))
    colour_by = folder.ranking(removals, [(p, "") for p in folder.policies])[0]
    x, _ = folder.positions(colour_by)
    lo, hi = np.min(x), np.max(x)
    span_x = (hi - lo) or 1.0
    step = max(1, math.ceil(len(design) / MAX_SERIES_POINTS))
    chosen = list(range(0, len(design), step))
    policies = folder.policies if len(folder.policies) <= 4 else folder.policies[:4]
    columns = min(len(policies), 2)
    fig, axes = new_figure((len(policies) + columns - 1) // columns, columns, height_per_row=3.0, sharex=True)
    cmap = plt.get_cmap("viridis")
    count, drawn = 0, 0
    for k, policy in enumerate(policies):
        ax = axes[k // columns][k % columns]
        for i in chosen:
            point = design["point"].iloc[i]
            rows = point_series(folder, point, metric, policy if folder.kind == "experiment" else None)
            if rows is None or rows.empty:
                continue
            label = None
            if len(chosen) <= 8 and k == 0:
                label = f"#{point}: " + ", ".join(f"{folder.labels[p]}={design.iloc[i][p]}" for p in folder.parameters)
            ax.plot(rows["date"], rows["p50"], color=cmap(0.9 * (x[i] - lo) / span_x), linewidth=1.0, alpha=0.8,
                    label=label)
            count = max(count, int(rows["n"].max()))
            drawn += 1
        label, unit = monthly_label(metric)
        ax.set_ylabel(f"{label} ({unit})")
        ax.set_ylim(bottom=0)
        if len(policies) > 1:
            ax.set_title(policy)
        date_axis(ax)
        if label and len(chosen) <= 8 and k == 0:
            ax.legend(loc="upper left", fontsize=7)
    for j in range(len(policies), len(axes) * columns):
        axes[j // columns][j % columns].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("month")
    if not drawn:
        plt.close(fig)
        section.note("No point folder holds a timeseries.csv.")
        return
    norm = plt.Normalize(lo, hi)
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=plt.get_cmap("viridis", 256))
    fig.colorbar(mappable, ax=axes.ravel().tolist(), shrink=0.8, label=folder.axis_label(colour_by))
    fig.suptitle(f"{monthly_label(metric)[0].capitalize()} at every point")
    caption = (f"Line: median over the {count} replications of each point (bands left out to keep the points "
               f"apart); colour: {folder.labels[colour_by]}, the parameter that moves removals most.")
    if step > 1:
        caption += f" Every {step}th point is drawn ({len(chosen)} of {len(design)})."
    if len(folder.policies) > len(policies):
        caption += f" The first {len(policies)} of {len(folder.policies)} policies."
    section.figure(fig, "series", caption)
