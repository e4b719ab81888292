"""The report of one `readmit compare`: what the policy change does, and how
sure we are.

Sections: the paired differences of the run totals (forest plot and table,
with each headline difference's flag when the folder has the files of
`compare --assumptions`); what each difference rests on (flags in words and
tornado charts, report.assumptions); the variance split of `--uncertainty
assumptions`; the scenarios' series overlaid, with each partner's
cooperation and sanctions; the monthly paired difference with its band;
what changed between the resolved scenario files.
"""
import json
import math

import numpy as np
import pandas as pd
import yaml

from ..folder import month_dates
from .common import (COLORS, band_plot, date_axis, fmt, fmt_interval, headline, monthly_label, new_figure, provenance,
                     replication_count, total_label, total_partner)
from . import assumptions as report_assumptions
from . import run as report_run

FOREST_EXTRA = ["requests", "acceptances", "denials", "relief", "exemptions", "redetentions", "bed_days",
                "child_days_separated", "main_earners_lost", "homelessness", "pending_docket_at_end"]
OVERLAY = ["removals", "stock_awaiting_document", "custody_releases", "stock_supervised", "children_affected",
           "visa_refusals"]
DIFFERENCE_SERIES = ["stock_removed", "removals", "custody_releases", "children_affected"]
MONTHLY_CHUNK_ROWS = 2_000_000


def build(report, folder):
    names = folder.scenario_names
    assumptions = report_assumptions.of(folder)
    provenance(report.section("about", "What was compared"), folder.metadata, folder.reader,
               report_assumptions.provenance_rows(folder, assumptions))
    forest_section(report.section("differences", "What changes: paired differences of the run totals"), folder,
                   assumptions)
    if assumptions is not None:
        report_assumptions.assumptions_section(report.section("assumptions", "What each difference rests on"),
                                               folder, assumptions)
    if folder.variance is not None:
        report_assumptions.variance_section(
            report.section("variance", "What the declared ranges add to the spread"), folder)
    overlay_section(report.section("overlay", "The scenarios over time"), folder, names)
    monthly_difference_section(report.section("monthly-difference", "Monthly paired difference"), folder, names)
    scenario_diff_section(report.section("scenario-diff", "What changed between the scenario files"), folder)


# ---------------------------------------------------------------- forest plot


def forest_section(section, folder, assumptions=None):
    comparison = folder.comparison
    partner = total_partner(folder)
    rows = comparison[comparison["partner"] == partner]
    alternatives = list(dict.fromkeys(rows["alternative"]))
    baseline = folder.scenario_names[0]
    replications = folder.metadata.get("replications", "?")
    metrics = [m for m in headline() + FOREST_EXTRA if m in set(rows["metric"])]
    fiscal = [m for m in dict.fromkeys(rows["metric"]) if m.startswith("removals_fy")]
    section.paragraph(
        f"Each scenario ran {replications} replications with the same seed: replication k of every scenario draws "
        "the same random numbers for the same persons and partners (common random numbers), so the difference is "
        "measured replication by replication and its interval is much narrower than that of two independent runs.")
    if folder.variance is not None:
        section.paragraph(
            "Every pair of replications also drew each value the scenarios declare with a range (--uncertainty "
            "assumptions; replication k of every scenario drew the same values), so these intervals carry what is "
            "not known as well as chance (split below).")
    if assumptions is not None:
        section.paragraph(
            "The last column says whether each headline difference holds across the ranges the scenarios declare "
            "for what they assume or fit (next section): robust, sign uncertain, or fixed, which the model's rules "
            "or inputs decide, so it has no interval.")
    unchanged = []
    plotted = []
    for metric in metrics:
        sub = rows[rows["metric"] == metric]
        if (sub["baseline_mean"].abs().max() == 0 and sub["alternative_mean"].abs().max() == 0):
            unchanged.append(metric)
        else:
            plotted.append(metric)
    fig, axes = new_figure(1, 1, width=9.0, height_per_row=0.36 * len(plotted) * max(1, len(alternatives)) ** 0.5
                           + 1.2)
    ax = axes[0][0]
    offsets = np.linspace(-0.18, 0.18, len(alternatives)) if len(alternatives) > 1 else [0.0]
    no_relative = []
    fixed_drawn = False
    for j, alternative in enumerate(alternatives):
        for i, metric in enumerate(plotted):
            r = rows[(rows["alternative"] == alternative) & (rows["metric"] == metric)].iloc[0]
            base = r["baseline_mean"]
            y = i + offsets[j]
            if not (math.isfinite(base) and base != 0):
                no_relative.append(metric)
                continue
            scale = 100.0 / abs(base)
            if is_fixed(assumptions, alternative, partner, metric):
                ax.plot(r["difference_mean"] * scale, y, "D", color=COLORS[j], markerfacecolor="white",
                        markersize=6, label=None if fixed_drawn else "fixed by the rules (no interval)")
                fixed_drawn = True
                continue
            ax.plot([r["unpaired_ci95_low"] * scale, r["unpaired_ci95_high"] * scale], [y, y],
                    color=COLORS[j], alpha=0.35, linewidth=1, label="independent-runs 95% CI" if i == 0 else None)
            ax.plot([r["difference_ci95_low"] * scale, r["difference_ci95_high"] * scale], [y, y],
                    color=COLORS[j], linewidth=3.5, solid_capstyle="butt",
                    label="paired 95% CI" if i == 0 else None)
            ax.plot(r["difference_mean"] * scale, y, "o", color=COLORS[j], markersize=5,
                    label=f"{alternative} - {baseline}" if i == 0 else None)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(plotted)), [total_label(m, short=True) for m in plotted])
    ax.invert_yaxis()
    ax.set_xlabel(f"difference from the baseline mean (% of {baseline}'s mean)")
    ax.set_ylabel("run total")
    ax.legend(loc="lower right", fontsize=7)
    fig.suptitle(f"Paired differences of the run totals, {report_run.where(folder)}")
    caption = (f"Dot: mean over {replications} paired replications of (alternative - baseline), as a percentage of "
               "the baseline's mean; thick bar: its 95% confidence interval; thin bar: the 95% interval if the runs "
               "had been independent (Welch), for contrast.")
    if fixed_drawn:
        caption += (" Hollow diamond: a difference that is the same in every replication (fixed by the model's rules "
                    "or inputs, see the next section), drawn without an interval.")
    if no_relative:
        caption += (" Not drawn (baseline mean 0, no percentage): "
                    + ", ".join(sorted(set(total_label(m) for m in no_relative))) + "; see the table.")
    section.figure(fig, "paired_differences", caption)
    several = len(alternatives) > 1
    for alternative in alternatives:
        table = []
        for metric in plotted + fiscal:
            r = rows[(rows["alternative"] == alternative) & (rows["metric"] == metric)]
            if r.empty:
                continue
            r = r.iloc[0]
            cells = [total_label(metric), fmt(r["baseline_mean"]), fmt(r["alternative_mean"]),
                     fmt(r["difference_mean"]), fmt_interval(r["difference_ci95_low"], r["difference_ci95_high"]),
                     fmt_interval(r["unpaired_ci95_low"], r["unpaired_ci95_high"]), significance(r)]
            if assumptions is not None:
                if is_fixed(assumptions, alternative, partner, metric):
                    difference = r["difference_mean"]
                    cells[4:7] = ["none: fixed", "none: fixed",
                                  "higher" if difference > 0 else "lower" if difference < 0 else "the same"]
                cells.append(report_assumptions.flag_word(assumptions, alternative, partner, metric))
            table.append(cells)
        header = ["run total (unit)", f"{baseline} mean", f"{alternative} mean", "difference", "paired 95% CI",
                  "independent 95% CI", "reading"]
        caption = (f"difference = {alternative} - {baseline}, replication by replication; reading: whether the "
                   "paired interval lies above zero, below it, or across it.")
        if assumptions is not None:
            header.append("across the declared ranges")
            caption += (" Across the declared ranges: robust, sign uncertain or fixed (headline totals; what each "
                        "rests on is in the next section).")
        section.table(header, table, caption=caption,
                      collapsed=f"Table: {alternative} against {baseline}" if several else None)
    if unchanged:
        section.paragraph("Zero in every scenario: " + ", ".join(total_label(m) for m in unchanged) + ".")


def monthly_panel(ax, metric, unit_format):
    """A panel of a monthly metric: its label as title, its unit (as `unit_format` says) on the y axis, dates."""
    label, unit = monthly_label(metric)
    ax.set_title(label)
    ax.set_ylabel(unit_format.format(unit))
    date_axis(ax)


def finish_panels(axes, used, legend_location):
    """A two-column grid of panels: the unused ones hidden, months under the last row, the legend in the first."""
    for j in range(used, len(axes) * 2):
        axes[j // 2][j % 2].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("month")
    axes[0][0].legend(loc=legend_location, fontsize=7)


def is_fixed(assumptions, alternative, partner, metric):
    """Whether compare --assumptions found the difference the same in every replication."""
    flag = assumptions.flag(alternative, partner, metric) if assumptions is not None else None
    return flag is not None and flag["flag"] == "fixed"


def significance(row):
    low, high = row["difference_ci95_low"], row["difference_ci95_high"]
    if not (math.isfinite(low) and math.isfinite(high)):
        return "no interval"
    if low > 0:
        return "higher"
    if high < 0:
        return "lower"
    return "no clear difference"


# ---------------------------------------------------------------- series


def overlay_section(section, folder, names):
    present = [m for m in OVERLAY if folder.series(names[0], "all", m) is not None]
    fig, axes = new_figure((len(present) + 1) // 2, 2, height_per_row=2.4, sharex=True)
    count = 0
    for k, metric in enumerate(present):
        ax = axes[k // 2][k % 2]
        for i, name in enumerate(names):
            rows = folder.series(name, "all", metric)
            band_plot(ax, rows, COLORS[i % len(COLORS)], label=name if k == 0 else None, bands=False)
            ax.fill_between(rows["date"], rows["p05"], rows["p95"], color=COLORS[i % len(COLORS)], alpha=0.12,
                            linewidth=0)
            count = max(count, replication_count(rows))
        monthly_panel(ax, metric, "{}")
        ax.set_ylim(bottom=0)
    finish_panels(axes, len(present), "upper right")
    fig.suptitle(f"Monthly outcomes of every scenario, {report_run.where(folder)}")
    section.figure(fig, "overlay",
                   f"Line: median over {count} replications of each scenario; band: 5-95% of replications (90% "
                   "band).")
    for partner in folder.partners:
        report_run.diplomacy_figure(section, folder, names, partner)


def monthly_paired_differences(folder, names):
    """(frame, how): per alternative, partner 'all', month and metric, the mean
    difference and its band. Prefers comparison_timeseries.csv; else computes
    the paired differences from monthly.csv; else the difference of the means
    with the interval of independent runs."""
    if folder.has("comparison_timeseries.csv"):
        frame = folder.reader.read_csv("comparison_timeseries.csv")
        frame = frame[frame["metric"].isin(DIFFERENCE_SERIES)].copy()
        frame["date"] = month_dates(frame["month"])
        return frame, "paired"
    if folder.has("monthly.csv"):
        parts = []
        for chunk in folder.reader.csv_chunks("monthly.csv", MONTHLY_CHUNK_ROWS):
            parts.append(chunk[chunk["metric"].isin(DIFFERENCE_SERIES)])
        monthly = pd.concat(parts)
        monthly = monthly.groupby(["scenario", "replication", "month", "metric"], as_index=False)["value"].sum()
        wide = monthly.pivot_table(index=["replication", "month", "metric"], columns="scenario", values="value")
        out = []
        for alternative in names[1:]:
            diff = (wide[alternative] - wide[names[0]]).dropna().groupby(level=["month", "metric"])
            stats = pd.DataFrame({"n": diff.count(), "difference_mean": diff.mean(), "sd": diff.std()})
            half = 1.96 * stats["sd"] / np.sqrt(stats["n"])
            stats["difference_ci95_low"] = stats["difference_mean"] - half
            stats["difference_ci95_high"] = stats["difference_mean"] + half
            stats["difference_p05"] = diff.quantile(0.05)
            stats["difference_p95"] = diff.quantile(0.95)
            stats = stats.reset_index()
            stats["alternative"] = alternative
            out.append(stats)
        frame = pd.concat(out)
        frame["date"] = month_dates(frame["month"])
        return frame, "paired"
    ts = folder.timeseries
    base = ts[(ts["scenario"] == names[0]) & (ts["partner"] == "all") & ts["metric"].isin(DIFFERENCE_SERIES)]
    out = []
    for alternative in names[1:]:
        alt = ts[(ts["scenario"] == alternative) & (ts["partner"] == "all") & ts["metric"].isin(DIFFERENCE_SERIES)]
        merged = base.merge(alt, on=["month", "metric"], suffixes=("_b", "_a"))
        se = np.sqrt(merged["sd_b"] ** 2 / merged["n_b"] + merged["sd_a"] ** 2 / merged["n_a"])
        frame = pd.DataFrame({"month": merged["month"], "metric": merged["metric"],
                              "n": np.minimum(merged["n_b"], merged["n_a"]),
                              "difference_mean": merged["mean_a"] - merged["mean_b"]})
        frame["difference_ci95_low"] = frame["difference_mean"] - 1.96 * se
        frame["difference_ci95_high"] = frame["difference_mean"] + 1.96 * se
        frame["alternative"] = alternative
        out.append(frame)
    frame = pd.concat(out)
    frame["date"] = month_dates(frame["month"])
    return frame, "independent"


def monthly_difference_section(section, folder, names):
    frame, how = monthly_paired_differences(folder, names)
    if "partner" in frame:
        frame = frame[frame["partner"] == "all"]
    present = [m for m in DIFFERENCE_SERIES if (frame["metric"] == m).any()]
    if not present:
        section.note("No monthly series to difference.")
        return
    fig, axes = new_figure((len(present) + 1) // 2, 2, height_per_row=2.5, sharex=True)
    count = 0
    for k, metric in enumerate(present):
        ax = axes[k // 2][k % 2]
        for i, alternative in enumerate(names[1:]):
            rows = frame[(frame["metric"] == metric) & (frame["alternative"] == alternative)].sort_values("date")
            color = COLORS[(i + 1) % len(COLORS)]
            if "difference_p05" in rows:
                ax.fill_between(rows["date"], rows["difference_p05"], rows["difference_p95"], color=color,
                                alpha=0.12, linewidth=0)
            ax.fill_between(rows["date"], rows["difference_ci95_low"], rows["difference_ci95_high"], color=color,
                            alpha=0.35, linewidth=0)
            ax.plot(rows["date"], rows["difference_mean"], color=color, linewidth=1.4,
                    label=f"{alternative} - {names[0]}" if k == 0 else None)
            count = max(count, int(rows["n"].max()) if len(rows) else 0)
        ax.axhline(0, color="black", linewidth=0.7)
        monthly_panel(ax, metric, "difference ({})")
    finish_panels(axes, len(present), "best")
    fig.suptitle(f"Monthly difference from {names[0]}, {report_run.where(folder)}")
    if how == "paired":
        caption = (f"Line: mean over {count} paired replications of (alternative - baseline) in each month; dark "
                   "band: its 95% confidence interval; light band (when shown): 5-95% of the replications' "
                   "differences.")
    else:
        caption = (f"Line: difference of the mean over {count} replications of each scenario (equal to the mean "
                   "paired difference); band: the 95% interval as if the runs were independent (Welch, normal "
                   "approximation), wider than the paired one, because this folder has neither "
                   "comparison_timeseries.csv nor monthly.csv (run compare with --monthly for the paired band).")
        section.note("The monthly bands below treat the scenarios as independent runs, so they are wider than the "
                     "paired intervals of the run totals above.")
    section.figure(fig, "monthly_difference", caption)


# ---------------------------------------------------------------- scenario files


def flatten(node, prefix="", out=None):
    """Dotted paths of a YAML tree; lists stay whole (as --set replaces them)."""
    out = {} if out is None else out
    if isinstance(node, dict):
        if not node and prefix:
            out[prefix] = "{}"
        for key, value in node.items():
            flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = node
    return out


def show_value(value):
    if value is None:
        return "(absent)"
    if isinstance(value, (list, dict)):
        text = json.dumps(value, default=str)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return text if len(text) <= 90 else text[:87] + "..."


def scenario_diff_section(section, folder):
    documents = folder.resolved_documents()
    names = folder.scenario_names
    trees = [flatten(yaml.safe_load(d) or {}) for d in documents]
    section.paragraph("Every parameter whose resolved value differs between the scenarios (scenario.resolved.yaml: "
                      "every default filled in, so this is the whole difference, not just what the files say).")
    for s in folder.metadata.get("scenarios", []):
        overrides = ", ".join(s.get("overrides", [])) or "none"
        section.paragraph(f"{s['name']}: {' + '.join(s.get('source_files', []))}; --set overrides: {overrides}.")
    paths = []
    for tree in trees:
        for path in tree:
            if path not in paths:
                paths.append(path)
    rows = []
    for path in paths:
        values = [tree.get(path) for tree in trees]
        if any(v != values[0] for v in values[1:]):
            rows.append([path] + [show_value(v) for v in values])
    if len(trees) != len(names):
        section.note(f"scenario.resolved.yaml holds {len(trees)} documents for {len(names)} scenarios.")
    if rows:
        section.table(["parameter"] + names, rows, numeric_from=99,
                      caption=f"{len(rows)} parameters differ; (absent): not in that scenario.")
    else:
        section.paragraph("The resolved scenarios are identical.")
