"""The report of one `readmit sweep`: how the outcomes move with the swept
parameters.

Sections: the design (points and their values); each headline outcome
against each parameter; a monthly series at every point; every point's
totals. The section builders take a design frame (point, one column per
parameter) and an outcome frame (point, partner, metric and the statistics
of summary.csv), so an experiment report can reuse them and add its own
sections (sensitivity indices, PRIM boxes) beside them.
"""
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from report_common import (COLORS, HEADLINE, date_axis, fmt, fmt_interval, monthly_label, new_figure, provenance,
                           read_csv, read_json, readable_axis, total_label)

SERIES = ["stock_removed", "removals"]
MAX_PANELS = 4  # parameters drawn per outcome


class SweepFolder:
    """The output folder of `readmit sweep`."""

    def __init__(self, path):
        self.path = path
        self.metadata = read_json(os.path.join(path, "metadata.json"))
        self.name = os.path.splitext(os.path.basename(self.metadata.get("sweep_file", path)))[0]
        self.design = read_csv(os.path.join(path, "points.csv"))
        self.outcomes = read_csv(os.path.join(path, "sweep.csv"))
        self.parameters = [c for c in self.design.columns if c != "point"]

    def point_folder(self, point):
        return os.path.join(self.path, "points", f"{int(point):04d}")

    def point_series(self, point, metric, partner="all"):
        path = os.path.join(self.point_folder(point), "timeseries.csv")
        if not os.path.exists(path):
            return None
        frame = read_csv(path)
        rows = frame[(frame["partner"] == partner) & (frame["metric"] == metric)].copy()
        rows["date"] = pd.to_datetime(rows["month"], format="%Y-%m")
        return rows.sort_values("date")


def build(report, folder):
    meta = folder.metadata
    sweep = meta.get("sweep", {})
    method = "grid" if "grid" in sweep else ("Latin hypercube" if "latin_hypercube" in sweep else "?")
    extra = [["sweep file", f"{meta.get('sweep_file', '?')} (hash {meta.get('sweep_file_hash', '?')})"],
             ["scenario", str(sweep.get("scenario", "?"))],
             ["design", f"{method} over {', '.join(folder.parameters)}"],
             ["fixed overrides", ", ".join(f"{k}={v}" for k, v in sweep.get("set", {}).items()) or "none"],
             ["points", f"{meta.get('points_done', '?')} of {meta.get('points_total', '?')} in this folder "
                        f"(shard {meta.get('shard', {}).get('index', 1)}/{meta.get('shard', {}).get('count', 1)})"],
             ["seed", f"{sweep.get('seed') if sweep.get('seed') is not None else 'the scenario’s'} "
                      "(the same for every point: common random numbers)"],
             ["replications per point", str(sweep.get("replications") or "the scenario's")]]
    provenance(report.section("about", "What was swept"), meta, folder.path, extra)
    partner = outcome_partner(folder.outcomes)
    design_section(report.section("design", "The design"), folder.design, folder.parameters)
    outcomes_section(report.section("outcomes", "Outcomes against the swept parameters"), folder.design,
                     folder.outcomes, folder.parameters, partner)
    series_section(report.section("series", "Removals over time at every point"), folder)
    points_table_section(report.section("points", "Every point's run totals"), folder.design, folder.outcomes,
                         folder.parameters, partner)


def outcome_partner(outcomes):
    partners = [p for p in dict.fromkeys(outcomes["partner"]) if p != "all"]
    return partners[0] if len(partners) == 1 else "all"


def numeric_or_categories(values):
    """Positions on an axis: the numbers themselves, or 0..k-1 for categories."""
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all():
        return numbers.to_numpy(dtype=float), None
    categories = list(dict.fromkeys(values.astype(str)))
    return np.array([categories.index(v) for v in values.astype(str)], dtype=float), categories


def design_section(section, design, parameters):
    counts = [design[p].nunique() for p in parameters]
    section.paragraph(f"{len(design)} points over {len(parameters)} parameters ("
                      + ", ".join(f"{p}: {c} values" for p, c in zip(parameters, counts)) + ").")
    section.table(["point"] + parameters, design.astype(str).values.tolist(), numeric_from=1)


def outcomes_section(section, design, outcomes, parameters, partner):
    section.paragraph(
        f"Each headline run total ({partner}) against each swept parameter: the point's mean with its 95% "
        "confidence interval. In a grid, lines join the points that share the other parameters' values, so "
        "parallel lines mean the parameters act independently.")
    shown = parameters[:MAX_PANELS]
    if len(parameters) > MAX_PANELS:
        section.note(f"Only the first {MAX_PANELS} parameters are drawn.")
    for metric in HEADLINE:
        rows = outcomes[(outcomes["partner"] == partner) & (outcomes["metric"] == metric)]
        if rows.empty:
            continue
        outcome_figure(section, design.merge(rows, on="point"), shown, parameters, metric)


def outcome_figure(section, frame, shown, parameters, metric):
    fig, axes = new_figure(1, len(shown), width=min(4.2 * len(shown), 10), height_per_row=3.0)
    for k, parameter in enumerate(shown):
        ax = axes[0][k]
        x, categories = numeric_or_categories(frame[parameter])
        others = [p for p in parameters if p != parameter]
        groups = list(frame.groupby(others[0] if len(others) == 1 else others, sort=False)) if others else []
        grouped_lines = bool(groups) and all(len(g) > 1 for _, g in groups)
        for j, (key, group) in enumerate(groups if grouped_lines else [((), frame)]):
            gx = x[group.index.to_numpy()] if grouped_lines else x
            order = np.argsort(gx, kind="stable")
            color = COLORS[j % len(COLORS)]
            mean = group["mean"].to_numpy()[order]
            low = mean - group["ci95_low"].to_numpy()[order]
            high = group["ci95_high"].to_numpy()[order] - mean
            label = None
            if grouped_lines and len(others) == 1:
                label = f"{others[0].split('.')[-1]} = {key if not isinstance(key, tuple) else key[0]}"
            ax.errorbar(gx[order], mean, yerr=[low, high], fmt="o-" if grouped_lines else "o",
                        color=color, capsize=3, markersize=4, linewidth=1.2, label=label)
        if categories:
            ax.set_xticks(range(len(categories)), categories)
        elif len(np.unique(x)) <= 10:
            ax.set_xticks(np.unique(x), [f"{v:g}" for v in np.unique(x)])
        ax.set_xlabel(parameter.replace(".", ".\u200b"))
        ax.set_ylabel(total_label(metric, short=True))
        readable_axis(ax)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.suptitle(f"{total_label(metric).split(' (')[0].capitalize()} against the swept parameters")
    n = int(frame["n"].max()) if len(frame) else 0
    section.figure(fig, f"sweep_{metric}",
                   f"Dot: mean over the {n} replications of a point; bar: 95% confidence interval of the mean."
                   " All points share the seed, so differences between points are not blurred by different "
                   "random draws.")


def series_section(section, folder):
    design = folder.design
    metric = SERIES[0]
    first = folder.parameters[0]
    x, _ = numeric_or_categories(design[first])
    span = (x.max() - x.min()) or 1.0
    cmap = plt.get_cmap("viridis")
    fig, axes = new_figure(1, 1, height_per_row=3.4)
    ax = axes[0][0]
    drawn, count = 0, 0
    for i, point in enumerate(design["point"]):
        rows = folder.point_series(point, metric)
        if rows is None or rows.empty:
            continue
        values = ", ".join(f"{p.split('.')[-1]}={design.loc[i, p]}" for p in folder.parameters)
        ax.plot(rows["date"], rows["p50"], color=cmap(0.9 * (x[i] - x.min()) / span), linewidth=1.3,
                label=f"#{point}: {values}" if len(design) <= 12 else None)
        drawn += 1
        count = max(count, int(rows["n"].max()))
    if not drawn:
        section.note("No point folder holds a timeseries.csv.")
        plt.close(fig)
        return
    label, unit = monthly_label(metric)
    ax.set_ylabel(f"{label} ({unit})")
    ax.set_xlabel("month")
    ax.set_ylim(bottom=0)
    date_axis(ax)
    if len(design) <= 12:
        ax.legend(loc="upper left", fontsize=7)
    fig.suptitle("Cumulative removals at every point")
    section.figure(fig, "sweep_series",
                   f"Line: median over the {count} replications of each point (bands left out to keep the points "
                   f"apart); colour: {first}, from dark (lowest) to yellow (highest).")


def points_table_section(section, design, outcomes, parameters, partner):
    rows = []
    sub = outcomes[outcomes["partner"] == partner]
    for _, point in design.iterrows():
        cells = [str(point["point"])] + [str(point[p]) for p in parameters]
        for metric in HEADLINE[:5]:
            r = sub[(sub["point"] == point["point"]) & (sub["metric"] == metric)]
            cells.append(f"{fmt(r.iloc[0]['mean'])} {fmt_interval(r.iloc[0]['ci95_low'], r.iloc[0]['ci95_high'])}"
                         if len(r) else "NA")
        rows.append(cells)
    section.table(["point"] + [p.split(".")[-1] for p in parameters] + [total_label(m) for m in HEADLINE[:5]], rows,
                  numeric_from=1, caption=f"Mean [95% CI of the mean], {partner}. Every statistic of every run "
                  "total is in sweep.csv.")
