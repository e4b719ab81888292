"""Shared by the reports of `readmit sweep` and `readmit experiment`: an
output folder of many points (policies run at every point of a design over
uncertain parameters), and the sections built from it.

- PointsFolder reads points.csv, the outcome and difference tables, the
  sensitivity indices, the PRIM boxes and the metadata, for sweeps (one
  policy, sweep.csv) and experiments (summary.csv, differences.csv) alike.
- Sections: what was run (provenance), the design, each outcome against
  its most influential parameters (points coloured by policy, with binned
  means; a grid sweep's points joined along the other parameters), the
  kept monthly series. The sensitivity and PRIM sections are in
  report_analysis.

Parameters are ranked by the design's own index (PointsFolder.main_index):
total Sobol index ST for a Sobol (Saltelli) design, Morris mu* for Morris
trajectories, PRCC otherwise.
"""
import math
import os
import re
import sqlite3
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..folder import FolderError, MetricDictionary, read_metadata
from .common import (COLORS, date_axis, fmt, monthly_label, new_figure, provenance, readable_axis, suptitle, total_label,
                     total_unit)

# The parameter table of the source tree (sim/python/readmit/report/ is four
# folders below it); an installed package has none, and shows no units.
PARAMETER_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 4, "docs", "parameters.md")
TOP_PARAMETERS = 3          # parameters drawn against each outcome
FEW_VALUES = 12             # a parameter with at most this many values is binned (and counted) value by value
MAX_SERIES_POINTS = 120     # points whose kept series are drawn
MAX_TABLE_POINTS = 500      # rows of the points table
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

    def axis_label(self):
        """The short label, on two lines when long."""
        return textwrap.fill(self.label(short=True), width=36)

    def title(self):
        head = self.label().split(" (")[0]
        return head[:1].upper() + head[1:]

    def unit(self):
        return total_unit(self.metric).split(";")[0]


class PointsFolder:
    """The output folder of `readmit sweep` or `readmit experiment`."""

    def __init__(self, reader):
        self.reader = reader
        self.path = reader.path
        self.metadata = read_metadata(reader)
        self.kind = self.metadata["command"]
        self.file = str(self.metadata.get(f"{self.kind}_file", "?"))
        self.name = os.path.splitext(os.path.basename(self.file))[0]
        self.design = reader.read_csv("points.csv")
        if "point" not in self.design:
            raise FolderError(f"{os.path.join(self.path, 'points.csv')}: no column `point`")
        self.parameters = [c for c in self.design.columns if c != "point"]
        # Point folders are named with as many digits as the largest point number has (at least 4).
        self.point_width = max(4, len(str(int(self.metadata.get("points_total") or len(self.design)))))
        self.metrics = self.metric_dictionary()
        self.policies = [str(p) for p in (self.metadata.get("policies") or [])]
        table = reader.read_csv("sweep.csv" if self.kind == "sweep" else "summary.csv")
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
        self.outcomes_named = bool(named)
        self.parameter_words = "swept parameters" if self.kind == "sweep" else "uncertain parameters"
        if named:
            self.outcomes = [Outcome(n) for n in named]
        else:
            partner = headline_partner(table)
            present = set(table["metric"])
            self.outcomes = [Outcome(m if partner == "all" else f"{partner}:{m}") for m in self.metrics.headline()
                             if m in present]
        self.first_point = self._first_point_metadata()

    def _optional(self, name):
        """A table the last command wrote (metadata.json lists them: a shard's
        run leaves an earlier run's analysis on disk but does not list it)."""
        listed = self.metadata.get("files")
        if listed is not None and name not in listed:
            return None
        return self.reader.read_csv(name, required=False)

    def metric_dictionary(self):
        """The first point's metrics.csv: every point of a design has the same metrics."""
        for point in self.design["point"]:
            relative = self.point_file(point, "metrics.csv")
            if self.reader.exists(relative):
                return MetricDictionary.of(self.reader, relative)
        return MetricDictionary(None)

    def _first_point_metadata(self):
        for point in self.design["point"]:
            relative = self.point_file(point, "metadata.json")
            if self.reader.exists(relative):
                metadata = self.reader.read_json(relative)
                return metadata if isinstance(metadata, dict) else {}
        return {}

    def point_file(self, point, name):
        """A file of a point's folder, as a path in the output folder (points/NNNN/NAME)."""
        return f"points/{int(point):0{self.point_width}d}/{name}"

    # ---- what ran

    @property
    def analysed(self):
        """Whether the folder holds sensitivity indices (a design of too few points has none)."""
        return bool(self.metadata.get("analysed")) and self.sensitivity is not None and self.main_index() is not None

    @property
    def method(self):
        design = self.metadata.get("design", {}).get("method")
        if design:
            return design
        sweep = self.metadata.get("sweep", {})  # written before experiments: no `design`
        return "grid" if "grid" in sweep else "latin_hypercube" if "latin_hypercube" in sweep else "?"

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
        db = self.reader.database(f"{self.kind}.sqlite")
        if db is not None:
            try:
                rows = db.execute("select name, overlays, overrides from policies order by policy").fetchall()
            except sqlite3.Error as e:  # a database of another kind
                raise FolderError(f"{os.path.join(self.path, self.kind + '.sqlite')}: no table of policies ({e})") \
                    from None
            finally:
                db.close()
            return [(str(name), [o for o in (overlays or "").split("\n") if o],
                     [o for o in (overrides or "").split("\n") if o]) for name, overlays, overrides in rows]
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
    sizes = [f"{k.replace('_', ' ')} {v}" for k, v in design.items() if k not in ("method", "seed")]
    if folder.method in ("latin_hypercube", "morris"):  # the designs that draw at random
        sizes.append(f"design seed {design.get('seed', '?')}")
    shard = meta.get("shard", {})
    extra = [[f"{folder.kind} file", f"{folder.file} (hash {meta.get(f'{folder.kind}_file_hash', '?')})"],
             ["scenario", str(meta.get("scenario", "?"))],
             ["design", f"{folder.method}{' (' + ', '.join(sizes) + ')' if sizes else ''} over "
                        f"{len(folder.parameters)} {folder.parameter_words}"],
             ["fixed overrides", "; ".join(folder.fixed_overrides()) or "none"]]
    for i, (name, overlays, overrides) in enumerate(folder.policy_records()):
        what = "; ".join(([f"overlays {', '.join(overlays)}"] if overlays else [])
                         + ([f"set {', '.join(overrides)}"] if overrides else [])) or "the scenario as it is"
        role = "policy (reference)" if i == 0 and len(folder.policies) > 1 else "policy"
        extra.append([role, f"{name}: {what}"])
    extra.append(["outcomes", (", ".join(o.name for o in folder.outcomes) or "none")
                  + ("" if folder.outcomes_named else f" (the headline totals: the {folder.kind} file names none)")])
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
    analysis = "sensitivity.csv, prim_boxes.csv" if folder.analysed else meta.get(
        "analysis_skipped", f"none: the {folder.kind} file names no `outcomes` to analyse")
    extra.append(["analysis", analysis])
    extra.append(["processes", str(meta.get("processes", "?"))])
    provenance(section, meta, folder.reader, extra)


def design_section(section, folder):
    design = folder.design
    rows = []
    for p in folder.parameters:
        x, categories = folder.positions(p)
        span = ", ".join(categories) if categories else f"{fmt(np.min(x))} to {fmt(np.max(x))}"
        rows.append([folder.labels[p], p, folder.distributions.get(p, "?"), folder.units.get(p, "") or "-",
                     str(design[p].nunique()), span])
    runs = (f"every point ran every policy ({len(folder.policies)})" if len(folder.policies) > 1
            else "every point ran")
    section.paragraph(f"{len(design)} points of a {folder.method} design over {len(folder.parameters)} "
                      f"{folder.parameter_words}; {runs} with {folder.replication_words} and the same seed.")
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
        log = folder.log_scale(p) and not categories and np.min(x) > 0
        if categories or len(np.unique(x)) <= FEW_VALUES:
            values, counts = np.unique(x, return_counts=True)
            ax.vlines(values, 0, counts, color=COLORS[0], alpha=0.75, linewidth=8)
            ax.set_ylim(bottom=0)
            if categories:
                ax.set_xticks(range(len(categories)), categories)
                ax.set_xlim(-0.6, len(categories) - 0.4)
            elif log:
                ax.set_xscale("log")
        elif log:
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


# ---------------------------------------------------------------- against parameters


def binned_means(x, y, bins, categories):
    """Per bin of x (quantile bins, or each value when there are few): the
    centre, the mean of y and the 95% interval of that mean over the bin's points."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) == 0:
        return None
    distinct = np.unique(x)
    if categories or len(distinct) <= max(bins, FEW_VALUES):
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
    jitter = categories is not None or (len(distinct) <= FEW_VALUES and np.all(distinct == np.round(distinct)))
    step = np.min(np.diff(distinct)) if len(distinct) > 1 else 1.0
    # The first series (the reference) is drawn last, on top of the others.
    for label, color, frame, filled in reversed(series):
        x = frame["point"].map(position).to_numpy(dtype=float)
        y = frame["value"].to_numpy(dtype=float)
        shown_x = x + rng.uniform(-0.06, 0.06, len(x)) * step if jitter else x
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


def series_legend(ax, series):
    """The legend of scatter_panel's lines, in the series' order (they are drawn in reverse)."""
    handles, labels = ax.get_legend_handles_labels()
    by_label = dict(zip(labels, handles))
    order = [label for label, _, _, _ in series if label in by_label]
    ax.legend([by_label[label] for label in order], order, loc="best", fontsize=7)


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
    ranked = ("by the largest " + INDEX_WORDS[folder.main_index()]
              + (" over the policies" if len(folder.policies) > 1 else "") if folder.analysed
              else "in the design's order (no sensitivity indices)")
    section.paragraph(f"Each outcome against the {TOP_PARAMETERS} parameters that move it most ({ranked})."
                      + (" Every point ran every policy, so the colours are the same points under different policies."
                         if len(folder.policies) > 1 else ""))
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
                ax.set_ylabel(outcome.axis_label())
        if len(series) > 1:
            series_legend(axes[0][0], series)
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
            axes[0][j].set_ylabel(outcome.axis_label())
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


# ---------------------------------------------------------------- kept series


def point_series(folder, point, metric, policy):
    frame = folder.reader.read_csv(folder.point_file(point, "timeseries.csv"), required=False)
    if frame is None:
        return None
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
    if not any(folder.reader.exists(folder.point_file(p, "timeseries.csv")) for p in design["point"][:5]):
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
