"""Sensitivity indices and scenario discovery in the reports of `readmit
sweep` and `readmit experiment` (sensitivity.csv and prim_boxes.csv of a
PointsFolder).

- Sensitivity: a heat map of every outcome's (or policy difference's) main
  index per parameter, then per outcome a tornado chart with a panel per
  policy (or per difference), parameters in one order, with the intervals;
  every index in a table. The main index is the design's own: total Sobol
  index ST for a Sobol (Saltelli) design, Morris mu* for Morris
  trajectories, PRCC otherwise.
- PRIM: per question, the boxes as a table (limits with quasi-p values,
  coverage, density, mass) and drawn on the plane of the two parameters
  that matter most, over the points with the cases of interest marked.
"""
import math

import matplotlib.patches as mpatches
import numpy as np
import pandas as pd

from .common import COLORS, fmt, fmt_interval, new_figure, readable_axis, suptitle
from .points import INDEX_WORDS, Outcome

SOBOL_AXIS = (-0.15, 1.15)  # Sobol indices are shares of variance; estimates stray a little beyond [0, 1]


def method_paragraph(folder):
    """How to read the section's charts: the design's index, once."""
    text = index_paragraph(folder)
    resamples = folder.metadata.get("analysis", {}).get("bootstrap_samples")
    if resamples:
        text += f" Each interval comes from {resamples} bootstrap resamples."
    return text


def index_paragraph(folder):
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
        for kept, alpha, label in ((strong, 0.85, "p < 0.05"), (~strong, 0.3, "p >= 0.05")):
            if kept.any():
                ax.barh(y[kept], np.nan_to_num(value[kept]), height=0.6, color=color, alpha=alpha, label=label)
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
    axes[0][0].legend(loc="best", fontsize=7)
    suptitle(fig, title)
    main = [r.loc[r["index"] == folder.main_index(), "n"] for _, _, _, r, _ in shown]
    count = int(max(m.max() for m in main if len(m)))
    caption = f"{method_words(folder, count)}. Parameters are ordered by the largest index over the panels."
    if constant:
        caption += f" No index for {', '.join(constant)}: the outcome does not vary over the points."
    section.figure(fig, name, caption)


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
    fig.colorbar(image, ax=ax, shrink=0.8, label={"morris_mu_star": "relative mu*"}.get(index, words))
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
    """{parameter: (lower, upper, values kept, lower quasi-p, upper quasi-p)} of one box's rows; the values
    kept are the texts of a parameter given as a list ('|'-separated in prim_boxes.csv), else None."""
    limits = {}
    for _, r in box_rows.iterrows():
        if isinstance(r["parameter"], str) and r["parameter"]:
            texts = str(r["values"]).split("|") if isinstance(r["values"], str) else None
            limits[r["parameter"]] = (r["lower"], r["upper"], texts, r["lower_quasi_p"], r["upper_quasi_p"])
    return limits


def text_limit(folder, parameter, texts):
    """The texts a limit keeps, when the parameter's values are texts (numbers are limited by lower and upper)."""
    return texts if texts and folder.positions(parameter)[1] else None


def limit_words(folder, parameter, limit):
    """'0.2 <= name <= 0.6', 'name >= 22' (a side without a quasi-p is the data's range: no limit)."""
    lower, upper, texts, lower_p, upper_p = limit
    name = folder.labels.get(parameter, parameter)
    low_limited, high_limited = math.isfinite(lower_p), math.isfinite(upper_p)
    if text_limit(folder, parameter, texts):
        text = f"{name} in {{{', '.join(texts)}}}"
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
    for parameter, (lower, upper, texts, _, _) in limits.items():
        if parameter not in folder.design:
            continue
        if text_limit(folder, parameter, texts):
            mask &= folder.design[parameter].astype(str).isin(texts).to_numpy()
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
    settings = folder.metadata.get("prim", [])
    search = ""
    if 0 < query <= len(settings):
        o = settings[query - 1]
        search = (f" A box is kept if its density reaches {fmt(o['threshold_density'], 3)}; peeling removes "
                  f"{fmt(100 * o['peel_alpha'], 3)}% of a box's points a step and stops before the box holds less "
                  f"than {fmt(100 * o['min_mass'], 3)}% of all points; at most {o['max_boxes']} boxes.")
    section.paragraph(f"Cases of interest: {cases} of {points} points "
                      f"({fmt(100.0 * cases / points if points else float('nan'), 3)}%).{search}")
    if not boxes:
        section.note("PRIM found no box whose density reaches the threshold: the cases of interest (below) do not "
                     "gather in a region of the parameters, or are too few.")
    table = []
    for b, group in boxes:
        r = group.iloc[0]
        limits = box_limits(group)
        words = "; ".join(limit_words(folder, p, limit) for p, limit in limits.items()) or \
            "no limit (the whole space)"
        table.append([str(b), words, fmt(r["coverage"], 3), fmt(r["density"], 3), fmt(r["mass"], 3),
                      f"{int(r['box_points_of_interest'])} of {int(r['box_points'])}"])
    if table:
        section.table(["box", "limits (quasi-p)", "coverage", "density", "mass", "cases in the box"], table,
                      numeric_from=2, caption=f"PRIM boxes for: {statement}. Each box is found among the points "
                      "no earlier box holds.")
    values = prim_values(folder, outcome, first["policy"], baseline)
    if values is None or values.empty:
        return
    prim_figure(section, folder, query, statement, outcome, baseline, first, boxes, values)


def prim_plane(folder, outcome, policy, baseline, boxes):
    """The two parameters to draw: the first box's restricted ones (smallest
    quasi-p first), completed by the most influential others."""
    limits = box_limits(boxes[0][1]) if boxes else {}
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
    # Points that share both values (a Sobol design's columns repeat) are spread a little.
    shared = pd.DataFrame({"x": x, "y": y}).duplicated(keep=False).to_numpy()
    if shared.any():
        rng = np.random.default_rng(query)
        x = spread_points(x, shared, rng, folder.log_scale(plane[0]) and not x_categories)
        y = spread_points(y, shared, rng, len(plane) > 1 and folder.log_scale(plane[1]) and not y_categories)
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
        ax.set_ylabel(outcome.axis_label())
    ax.set_xlabel(folder.axis_label(plane[0]))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    suptitle(fig, f"PRIM question {query}: {statement}")
    caption = (f"Each dot is one of the {len(folder.design)} points (a point's value is the mean of "
               f"{folder.replication_words}{' of the paired difference' if baseline else ''}); orange: "
               f"the {int(interest.sum())} cases of interest. "
               + ("Rectangles: the boxes' limits on these two parameters (a side without a limit spans the whole "
                  "axis); black rings: the points inside every limit of a box." if boxes else
                  "No box: PRIM found none dense enough; the plane is that of the two most influential parameters."))
    if not_drawn:
        caption += f" Limits on {', '.join(sorted(set(not_drawn)))} are in the table, not drawn."
    if shared.any():
        caption += " Points that share both values are spread a little around them."
    if int(interest.sum()) != int(first["points_of_interest"]):
        caption += (f" (prim_boxes.csv counts {int(first['points_of_interest'])} cases: the analysis saw values this "
                    "page does not.)")
    section.figure(fig, f"prim_{query:02d}", caption)


def spread_points(values, which, rng, log):
    """values with those marked moved by up to 1.5% of the axis (of its logarithm on a log axis)."""
    moved = np.log(values) if log else values.astype(float)
    extent = (np.nanmax(moved) - np.nanmin(moved)) or 1.0
    moved = np.where(which, moved + rng.uniform(-0.015, 0.015, len(moved)) * extent, moved)
    return np.exp(moved) if log else moved


def span(limit, values, categories):
    """The drawn extent of a limit on one axis (the data's range where there is none)."""
    low, high = np.nanmin(values), np.nanmax(values)
    pad = 0.4 if categories else 0.0
    if limit is None:
        return low - pad, high + pad
    lower, upper, texts, _, _ = limit
    if categories and texts:
        kept = [categories.index(t) for t in texts if t in categories]
        return (min(kept) - pad, max(kept) + pad) if kept else (low - pad, high + pad)
    return (lower if math.isfinite(lower) else low) - pad, (upper if math.isfinite(upper) else high) + pad


