"""What an answer rests on: the report's reading of the files that `readmit
compare --assumptions` writes (assumptions.csv, robustness.csv) and of
variance.csv (`--uncertainty assumptions`, run and compare); see
docs/assumptions.md.

- Flags: beside each headline difference, whether it is robust (the same
  side of zero at both ends of every declared range), sign uncertain (and
  at which range ends it reaches zero or reverses, with the difference
  there) or fixed (the same in every replication: the rules or an input
  decide it, so no interval is shown; what pins it and which ranges unpin
  it), in words.
- Tornado charts: per headline total (and, for a comparison of several
  partners, per partner) the paired difference with each range at its low
  and at its high end, ranges sorted by swing, the scenarios' own value and
  zero marked.
- The variance split: how much of each headline total's variance over the
  replications the declared ranges make, and how much chance.
"""
import math
import os

import numpy as np
import yaml

from ..folder import FolderError
from .common import (COLORS, fmt, fmt_interval, headline, new_figure, readable_axis, suptitle, total_label,
                     total_partner, total_unit)
from .points import parameter_units, short_labels

TORNADO_RANGES = 12          # ranges drawn in a headline tornado chart (the rest are listed in its table)
PARTNER_TORNADO_RANGES = 6   # ... in each panel of a partner's chart
FLAG_WORDS = {"robust": "robust", "sign-uncertain": "sign uncertain", "fixed": "fixed (no interval)"}
END_COLORS = {"low": COLORS[0], "high": COLORS[1]}
LEAVES_COLOR = "#b22222"


def side(mean, low, high):
    """-1, 0 or 1: which side of zero the 95% interval lies on (0: it takes in zero), as readmit decides it."""
    if not math.isfinite(mean):
        return 0
    if not (math.isfinite(low) and math.isfinite(high)):
        return (mean > 0) - (mean < 0)
    return 1 if low > 0 else -1 if high < 0 else 0


def plural(count, word):
    return word if count == 1 else word + "s"


def unit_words(metric):
    """', persons': the unit of a total for an axis label (its first clause)."""
    unit = total_unit(metric).split(";")[0]
    return f", {unit}" if unit else ""


def difference_words(mean, low, high):
    """'96.0 [91.8, 100.2]'; a difference with no spread is the same in every replication, and says so."""
    if not math.isfinite(mean):
        return "NA (undefined in some replications)"
    if math.isfinite(low) and math.isfinite(high) and low == high == mean:
        return f"{fmt(mean)} in every replication"
    return f"{fmt(mean)} {fmt_interval(low, high)}"


def declarations(tree, path="", out=None):
    """Every value a resolved scenario declares with its range ({value, range, reason}): dotted path -> node."""
    out = {} if out is None else out
    if isinstance(tree, dict):
        if {"value", "range", "reason"} <= set(tree):
            out[path] = tree
            return out
        for key, value in tree.items():
            declarations(value, f"{path}.{key}" if path else str(key), out)
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            declarations(value, f"{path}[{i}]", out)
    return out


def same_value(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return a == b
    return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(b))


class Assumptions:
    """The files of `compare --assumptions` in one folder, with what the
    resolved scenarios say of each range (its reason; whether an alternative
    sets its own value, so that the range moves the baseline alone)."""

    def __init__(self, folder):
        self.flags = folder.robustness
        self.rows = folder.assumptions
        if self.rows is None:
            raise FolderError(f"{os.path.join(folder.path, 'assumptions.csv')}: missing, while robustness.csv is "
                              "there (compare --assumptions writes both)")
        self.baseline = folder.scenario_names[0]
        self.alternatives = list(dict.fromkeys(self.flags["alternative"]))
        self.parameters = list(dict.fromkeys(self.rows["parameter"]))
        self.short = short_labels(self.parameters)
        self.units = parameter_units(self.parameters)
        recorded = folder.metadata.get("assumptions")
        self.replications = recorded.get("replications") if isinstance(recorded, dict) else None
        names = folder.scenario_names
        trees = [declarations(yaml.safe_load(d) or {}) for d in folder.resolved_documents()]
        self.declared = trees[0] if trees else {}
        self.kept = {}
        for i, name in enumerate(names[1:], start=1):
            own = trees[i] if i < len(trees) else {}
            self.kept[name] = [p for p in self.parameters if p in self.declared and not (
                p in own and isinstance(own[p].get("range"), list)
                and same_value(own[p].get("value"), self.declared[p].get("value")))]

    @property
    def replication_words(self):
        if self.replications is None:
            return "paired replications (how many: see --assumption-replications in the command, else the run's)"
        return f"{self.replications} paired replications"

    def flag(self, alternative, partner, metric):
        rows = self.flags[(self.flags["alternative"] == alternative) & (self.flags["partner"] == partner)
                          & (self.flags["metric"] == metric)]
        return rows.iloc[0] if len(rows) else None

    def ends(self, alternative, partner, metric):
        """Each range's row, sorted by swing (the spread of the difference over the range's two ends and the
        scenarios' own value), the largest first; ranges whose difference is undefined last."""
        rows = self.rows[(self.rows["alternative"] == alternative) & (self.rows["partner"] == partner)
                         & (self.rows["metric"] == metric)].copy()
        flag = self.flag(alternative, partner, metric)
        nominal = flag["difference"] if flag is not None else np.nan
        low = rows["difference_at_low"].to_numpy(float)
        high = rows["difference_at_high"].to_numpy(float)
        # fmax/fmin pass over a NaN: an undefined own difference leaves the two ends' spread.
        spread = np.fmax(np.fmax(low, high), nominal) - np.fmin(np.fmin(low, high), nominal)
        rows["swing"] = np.where(np.isfinite(low) & np.isfinite(high), spread, np.nan)
        return rows.sort_values("swing", ascending=False, na_position="last", kind="stable")

    def label(self, parameter, alternative=None):
        """'document_officers [20, 200]', with '*' when the alternative keeps its own value."""
        row = self.rows[self.rows["parameter"] == parameter].iloc[0]
        star = "*" if alternative is not None and parameter in self.kept.get(alternative, []) else ""
        fitted = " fitted" if row["origin"] == "fitted" else ""
        return f"{self.short[parameter]}{star} [{fmt(row['low'])}, {fmt(row['high'])}]{fitted}"

    def range_words(self, parameter):
        row = self.rows[self.rows["parameter"] == parameter]
        if row.empty:
            return parameter
        row = row.iloc[0]
        return f"{parameter} [{fmt(row['low'])}, {fmt(row['high'])}]"

    def end_words(self, row, end, named=True):
        """'sanctions.trade_scale_usd_millions at the low end of its range (30): 0 in every replication';
        not named: 'at 30: 0 in every replication'."""
        where = (f"{row['parameter']} at the {end} end of its range ({fmt(row[end])})" if named
                 else f"at {fmt(row[end])}")
        return f"{where}: " + difference_words(row[f"difference_at_{end}"], row[f"at_{end}_ci95_low"],
                                              row[f"at_{end}_ci95_high"])

    def explain(self, flag):
        """The flag of one difference in words: what it is, and what it rests on."""
        alternative, partner, metric = flag["alternative"], flag["partner"], flag["metric"]
        nominal = flag["difference"]
        rows = self.ends(alternative, partner, metric)
        count = len(rows)
        if flag["flag"] == "fixed":
            pinned = flag["pinned_by"] or "the same in every replication"
            text = (f"Fixed by the model's rules or inputs, not measured: {pinned}"
                    f"{'' if nominal == 0 else ', ' + fmt(nominal)}. Chance plays no part, so no interval is "
                    "shown.")
            moved = [p for p in str(flag["moved_by"]).split(";") if p]
            if not moved:
                return text + f" None of the {count} declared ranges moves it."
            unpinning = [f"{self.range_words(r['parameter'])}, "
                         + " and ".join(self.end_words(r, end, named=False) for end in ("low", "high"))
                         for _, r in rows[rows["parameter"].isin(moved)].iterrows()]
            return (text + f" {'It moves only with' if len(moved) < count else 'It moves with'} "
                    + "; ".join(unpinning) + ".")
        nominal_side = side(nominal, flag["ci95_low"], flag["ci95_high"])
        if flag["flag"] == "robust":
            text = (f"Robust: stays {'above' if nominal_side > 0 else 'below'} zero, its 95% interval clear of it, "
                    f"at both ends of each of the {count} declared ranges.")
            top = rows.iloc[0] if count and rows.iloc[0]["swing"] > 0 else None
            if top is None:
                return text
            return (text + f" Its size rests most on {top['parameter']}: {fmt(top['difference_at_low'])} at "
                    f"{fmt(top['low'])}, {fmt(top['difference_at_high'])} at {fmt(top['high'])}.")
        if not math.isfinite(nominal):
            return ("Sign uncertain: the total is undefined in some replications at the scenarios' own values, so "
                    "there is no difference to sign.")
        if nominal_side == 0:
            return ("Sign uncertain: its 95% interval takes in zero already at the scenarios' own values, so the "
                    "comparison does not tell which way it goes.")
        moves = []
        for _, r in rows.iterrows():
            for end in ("low", "high"):
                at = side(r[f"difference_at_{end}"], r[f"at_{end}_ci95_low"], r[f"at_{end}_ci95_high"])
                if at != nominal_side:
                    how = ("no difference at all there" if r[f"difference_at_{end}"] == 0 == r[f"at_{end}_ci95_low"]
                           == r[f"at_{end}_ci95_high"] else "its interval takes in zero" if at == 0
                           else "the sign reverses")
                    moves.append((abs(r[f"difference_at_{end}"] - nominal)
                                  if math.isfinite(r[f"difference_at_{end}"]) else math.inf,
                                  f"{self.end_words(r, end)} ({how})"))
        moves.sort(key=lambda m: -m[0])
        shown = "; ".join(m[1] for m in moves[:3])
        more = f"; and {len(moves) - 3} more range ends (table below)" if len(moves) > 3 else ""
        return (f"Sign uncertain: {'above' if nominal_side > 0 else 'below'} zero at the scenarios' own values, but "
                f"not at every end of the declared ranges: {shown}{more}.")


def flag_word(assumptions, alternative, partner, metric):
    """The flag of a difference for a table's cell ('robust', 'sign uncertain', 'fixed (no interval)'), '' when
    it was not flagged (not a headline total)."""
    flag = assumptions.flag(alternative, partner, metric)
    return "" if flag is None else FLAG_WORDS.get(flag["flag"], str(flag["flag"]))


def of(folder):
    """The folder's Assumptions, or None without robustness.csv."""
    return Assumptions(folder) if folder.robustness is not None else None


def provenance_rows(folder, assumptions):
    """The lines the page's provenance adds for --assumptions and --uncertainty assumptions."""
    rows = []
    if assumptions is not None:
        rows.append(["what it rests on", f"compare --assumptions: the {len(assumptions.parameters)} ranges "
                     f"{assumptions.baseline} declares, each at both ends, one at a time, "
                     f"{assumptions.replication_words} each (assumptions.csv, robustness.csv)"])
    if folder.variance is not None:
        rows.append(["uncertainty", "--uncertainty assumptions: every pair of replications drew each declared range "
                     "(variance.csv)"])
    return rows


# ---------------------------------------------------------------- the section


def assumptions_section(section, folder, assumptions):
    partner = total_partner(folder)
    where = partner if partner != "all" else "all partners"
    metrics = [m for m in headline() if m in set(assumptions.flags["metric"])]
    metrics += [m for m in dict.fromkeys(assumptions.flags["metric"]) if m not in metrics]
    section.paragraph(
        "A paired interval measures chance only: it says nothing about the values the model was given. To see what "
        f"each headline difference rests on, every one of the {len(assumptions.parameters)} values that "
        f"{assumptions.baseline} declares with a plausible range was moved to the low and to the high end of its "
        f"range, one at a time, and the scenarios run again with {assumptions.replication_words} (common random "
        "numbers). A difference is robust when its 95% interval stays on the same side of zero at the scenarios' own "
        "values and at both ends of every range; sign uncertain when at some end it takes in zero or reverses; fixed "
        "when it is the same in every replication: then the model's rules or an input decide it, not chance, and no "
        "interval is shown. One range at a time is a screen: two ranges that each keep the sign may flip it "
        "together (docs/assumptions.md).")
    if folder.variance is not None:
        section.note("The differences in this section are at the scenarios' own values, with no range drawn: they "
                     "differ from those of the table above, which under --uncertainty assumptions are over "
                     "replications that drew every range.")
    elif assumptions.replications is not None and assumptions.replications != folder.metadata.get("replications"):
        section.note(f"These differences rest on {assumptions.replication_words} (--assumption-replications), the "
                     f"table above on the run's {folder.metadata.get('replications')}: they differ by chance.")
    for alternative, kept in assumptions.kept.items():
        if kept:
            section.note(f"{alternative} sets its own value of {', '.join(kept)}: "
                         f"{'that range moves' if len(kept) == 1 else 'those ranges move'} {assumptions.baseline} "
                         "alone, since the difference is what the alternative changes (marked * in the charts).")
    several = len(assumptions.alternatives) > 1
    for alternative in assumptions.alternatives:
        rows = []
        for metric in metrics:
            flag = assumptions.flag(alternative, partner, metric)
            if flag is None:
                continue
            fixed = flag["flag"] == "fixed"
            rows.append([total_label(metric), fmt(flag["difference"]) + (" (fixed)" if fixed else ""),
                         "none" if fixed else fmt_interval(flag["ci95_low"], flag["ci95_high"]),
                         FLAG_WORDS.get(flag["flag"], str(flag["flag"])), assumptions.explain(flag)])
        if several:
            section.subheading(f"{alternative} against {assumptions.baseline}")
        section.table(["headline total (unit)", "difference", "paired 95% CI", "flag", "what it rests on"], rows,
                      numeric_from=1, numeric_until=3, css_class="data flags",
                      caption=f"difference = {alternative} - {assumptions.baseline}, {where}, at the scenarios' own "
                      f"values, from {assumptions.replication_words}.")
    for metric in metrics:
        tornado_figure(section, assumptions, metric, partner, where)
    declared_table(section, assumptions)
    partners = [p for p in dict.fromkeys(assumptions.flags["partner"]) if p != "all"]
    if len(partners) > 1:
        partners_part(section, assumptions, metrics, partners)


def tornado_figure(section, assumptions, metric, partner, where):
    """One panel per alternative: the difference at each end of each range, the largest swing on top."""
    panels = []
    for alternative in assumptions.alternatives:
        flag = assumptions.flag(alternative, partner, metric)
        rows = assumptions.ends(alternative, partner, metric)
        if flag is None or rows.empty:
            continue
        if not (rows["swing"] > 0).any():
            section.paragraph(f"{total_label(metric)}, {alternative}: no declared range moves the difference "
                              f"({difference_words(flag['difference'], flag['ci95_low'], flag['ci95_high'])} at "
                              "both ends of every range); no chart.")
            continue
        panels.append((alternative, flag, rows))
    if not panels:
        return
    shown = [min(TORNADO_RANGES, int((rows["swing"] > 0).sum())) for _, _, rows in panels]
    fig, axes = new_figure(len(panels), 1, width=9.0, height_per_row=0.34 * max(shown) + 1.3)
    for i, ((alternative, flag, rows), count) in enumerate(zip(panels, shown)):
        ax = axes[i][0]
        zero = tornado_panel(ax, assumptions, alternative, flag, rows.head(count))
        ax.set_xlabel(f"difference {alternative} - {assumptions.baseline}{unit_words(metric)}{zero}")
        ax.set_ylabel("declared range")
        readable_axis(ax, "x")
    tornado_legend([row[0] for row in axes])
    suptitle(fig, f"What moves the difference in {total_label(metric)}, {where}")
    rest = [rows.iloc[count:] for (_, _, rows), count in zip(panels, shown)]
    still = sum(int((r["swing"] == 0).sum()) for r in rest)
    smaller = sum(int((r["swing"] > 0).sum()) for r in rest)
    undefined = sum(int(r["swing"].isna().sum()) for r in rest)
    caption = ("One declared range at a time at its low end (upper bar, blue) or its high end (lower bar, orange), "
               "every other value at the scenarios' own. A bar runs from the difference at the scenarios' own values "
               f"(dashed line) to the mean paired difference at that end, over {assumptions.replication_words}; "
               "whisker: its 95% confidence interval; number: the parameter's value at that end; hatched red: an end "
               "where the interval takes in zero or the sign reverses. Grey band: the 95% interval at the scenarios' "
               "own values; black line: zero (a triangle on the axis when it lies far off). Sorted by swing (how far "
               "the difference spreads over both ends and the scenarios' own value), the largest on top.")
    omitted = [f"{smaller} {plural(smaller, 'range')} with a smaller swing"] if smaller else []
    omitted += [f"{still} {plural(still, 'range')} that {'does' if still == 1 else 'do'} not move it"] if still else []
    omitted += [f"{undefined} where it is undefined at an end"] if undefined else []
    if omitted:
        caption += f" Not drawn: {', '.join(omitted)}; the table below lists every range."
    if any(set(assumptions.kept.get(a, [])) & set(rows["parameter"].iloc[:count])
           for (a, _, rows), count in zip(panels, shown)):
        caption += " *: the alternative sets its own value; the range moves the baseline alone."
    if any(flag["flag"] == "fixed" for _, flag, _ in panels):
        caption += " A fixed difference has no interval: it is the same in every replication."
    section.figure(fig, f"tornado_{metric}", caption)
    for alternative, flag, rows in panels:
        ends_table(section, assumptions, alternative, metric, rows,
                   f"Every range at its ends: {total_label(metric)}"
                   + (f", {alternative}" if len(panels) > 1 else "") + f" ({len(rows)} ranges, by swing)")


def tornado_panel(ax, assumptions, alternative, flag, rows):
    """Two bars per range (low end above, high end below), from the scenarios' own difference to the end's.
    Returns what the x axis's label adds: where zero is when it lies far off the bars."""
    nominal = flag["difference"]
    y = np.arange(len(rows))
    fixed = flag["flag"] == "fixed"
    if not fixed and math.isfinite(flag["ci95_low"]) and math.isfinite(flag["ci95_high"]):
        ax.axvspan(flag["ci95_low"], flag["ci95_high"], color="#888888", alpha=0.18, linewidth=0)
    ax.axvline(nominal, color="#333333", linewidth=1.1, linestyle="--",
               label="scenarios' own values" + (" (fixed: no interval)" if fixed else " (grey: 95% CI)"))
    extent = [nominal] if math.isfinite(nominal) else []
    labels = []
    nominal_side = 0 if fixed else side(nominal, flag["ci95_low"], flag["ci95_high"])
    marked = False
    for end, offset in (("low", -0.2), ("high", 0.2)):
        mean = rows[f"difference_at_{end}"].to_numpy(float)
        low = rows[f"at_{end}_ci95_low"].to_numpy(float)
        high = rows[f"at_{end}_ci95_high"].to_numpy(float)
        ok = np.isfinite(mean)
        ax.barh(y[ok] + offset, mean[ok] - nominal, left=nominal, height=0.38, color=END_COLORS[end], alpha=0.85,
                label=f"{end} end of the range")
        # The ends that make a difference sign uncertain: its interval there takes in zero, or lies across it.
        leaves = ok & np.array([nominal_side != 0 and side(m, a, b) != nominal_side
                                for m, a, b in zip(mean, low, high)], dtype=bool)
        if leaves.any():
            ax.barh(y[leaves] + offset, mean[leaves] - nominal, left=nominal, height=0.38, fill=False,
                    edgecolor=LEAVES_COLOR, hatch="////", linewidth=1.2,
                    label=None if marked else "zero within, or sign reversed")
            marked = True
        whisk = ok & np.isfinite(low) & np.isfinite(high)
        ax.errorbar(mean[whisk], y[whisk] + offset, xerr=[mean[whisk] - low[whisk], high[whisk] - mean[whisk]],
                    fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
        extent += list(np.concatenate([mean[ok], low[whisk], high[whisk]]))
        labels.append((end, offset, mean, low, high, ok))
    lo, hi = (min(extent), max(extent)) if extent else (0.0, 0.0)
    # Zero is drawn when it is near the bars; far off, drawing it would squeeze every bar to a sliver, so a
    # triangle on the axis points to it.
    zero_far = 0 < lo - 1.5 * (hi - lo) or 0 > hi + 1.5 * (hi - lo)
    if not zero_far:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        ax.axvline(0, color="black", linewidth=1.0, label="zero: no difference")
    pad = (hi - lo) * 0.14 or max(abs(hi), 1.0) * 0.1
    ax.set_xlim(lo - pad, hi + pad)
    for end, offset, mean, low, high, ok in labels:
        values = rows[end].to_numpy(float)
        for k in range(len(rows)):
            if not ok[k]:
                ax.text(nominal, y[k] + offset, " NA", va="center", fontsize=7, color="#777777")
                continue
            right = mean[k] >= nominal
            edge = (high[k] if right else low[k]) if math.isfinite(low[k]) and math.isfinite(high[k]) else mean[k]
            ax.annotate(fmt(values[k]), (edge, y[k] + offset), xytext=(3 if right else -3, 0),
                        textcoords="offset points", ha="left" if right else "right", va="center", fontsize=6.5,
                        color="#444444")
    ax.set_yticks(y, [assumptions.label(p, alternative) for p in rows["parameter"]])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    if not zero_far:
        return ""
    left = lo > 0
    ax.plot([0.0 if left else 1.0], [0.0], marker="<" if left else ">", color="black", markersize=8,
            transform=ax.transAxes, clip_on=False, label="zero, off the chart")
    return f" (zero lies off the chart, to the {'left' if left else 'right'})"


LEGEND_ORDER = ["low end", "high end", "zero within", "scenarios' own", "zero"]


def tornado_legend(axes, fontsize=7):
    """One legend for the panels, above the first, in one order for every chart."""
    entries = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    labels = sorted(entries, key=lambda label: next(
        (i for i, key in enumerate(LEGEND_ORDER) if label.startswith(key)), len(LEGEND_ORDER)))
    axes[0].legend([entries[label] for label in labels], labels, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                   ncol=3, fontsize=fontsize)


def ends_table(section, assumptions, alternative, metric, rows, summary):
    table = []
    for _, r in rows.iterrows():
        table.append([r["parameter"] + ("*" if r["parameter"] in assumptions.kept.get(alternative, []) else ""),
                      str(r["origin"]), fmt(r["low"]), fmt(r["high"]),
                      difference_words(r["difference_at_low"], r["at_low_ci95_low"], r["at_low_ci95_high"]),
                      difference_words(r["difference_at_high"], r["at_high_ci95_low"], r["at_high_ci95_high"]),
                      fmt(r["swing"])])
    section.table(["declared range", "origin", "low", "high", "difference at low [95% CI]",
                   "difference at high [95% CI]", "swing"], table, numeric_from=2, break_at_dots=(0,),
                  css_class="data ends",
                  caption=f"difference = {alternative} - {assumptions.baseline} ({total_label(metric, short=True)}), "
                  f"{assumptions.replication_words} at each end; swing: the spread over both ends and the scenarios' "
                  "own value (assumptions.csv).", collapsed=summary)


def declared_table(section, assumptions):
    rows = []
    for path in assumptions.parameters:
        node = assumptions.declared.get(path, {})
        first = assumptions.rows[assumptions.rows["parameter"] == path].iloc[0]
        rows.append([path, str(first["origin"]), fmt(node["value"]) if isinstance(node.get("value"), (int, float))
                     else str(node.get("value", "")), fmt_interval(first["low"], first["high"]),
                     assumptions.units.get(path, ""), str(node.get("reason", ""))])
    section.table(["parameter", "origin", f"{assumptions.baseline}'s value", "declared range", "unit",
                   "why this range"], rows, numeric_from=2, break_at_dots=(0,), css_class="data declared",
                  caption="The ranges as the baseline's scenario files declare them (scenario.resolved.yaml): "
                  "assumed, fitted (the fit's 90% profile interval) or sourced.",
                  collapsed=f"The {len(rows)} declared ranges and why each is plausible")


def partners_part(section, assumptions, metrics, partners):
    """A comparison of several partners: each partner's flags in one table, and a chart per partner."""
    section.subheading("Per partner")
    for alternative in assumptions.alternatives:
        rows = []
        for metric in metrics:
            row = [total_label(metric)]
            for partner in partners:
                flag = assumptions.flag(alternative, partner, metric)
                row.append("" if flag is None else
                           ("fixed " + fmt(flag["difference"]) if flag["flag"] == "fixed" else
                            f"{FLAG_WORDS.get(flag['flag'], flag['flag'])}: {fmt(flag['difference'])}"))
            rows.append(row)
        section.table(["headline total (unit)"] + partners, rows, numeric_from=1,
                      caption=f"Each partner's difference ({alternative} - {assumptions.baseline}) and its flag; "
                      "a fixed difference has no interval.")
    for partner in partners:
        for alternative in assumptions.alternatives:
            partner_tornado(section, assumptions, alternative, partner, metrics)


def partner_tornado(section, assumptions, alternative, partner, metrics):
    panels = []
    for metric in metrics:
        flag = assumptions.flag(alternative, partner, metric)
        rows = assumptions.ends(alternative, partner, metric)
        if flag is not None and (rows["swing"] > 0).any():
            panels.append((metric, flag, rows[rows["swing"] > 0].head(PARTNER_TORNADO_RANGES)))
    if not panels:
        section.paragraph(f"{partner}, {alternative}: no declared range moves any headline difference.")
        return
    fig, axes = new_figure(len(panels), 1, width=9.0,
                           height_per_row=0.3 * max(len(rows) for _, _, rows in panels) + 1.1)
    for i, (metric, flag, rows) in enumerate(panels):
        ax = axes[i][0]
        zero = tornado_panel(ax, assumptions, alternative, flag, rows)
        # The panel is named in its axis label: a title would sit under the legend.
        ax.set_xlabel(f"difference in {total_label(metric)}: {FLAG_WORDS.get(flag['flag'], flag['flag'])}{zero}")
        ax.set_ylabel("declared range")
        readable_axis(ax, "x")
    tornado_legend([row[0] for row in axes])
    suptitle(fig, f"What moves each difference, {partner}: {alternative} - {assumptions.baseline}")
    section.figure(fig, f"tornado_partner_{partner}_{assumptions.alternatives.index(alternative) + 1}",
                   f"As the charts above, for {partner} alone: per headline total the {PARTNER_TORNADO_RANGES} ranges "
                   f"with the largest swing, over {assumptions.replication_words}; blue: the range at its low end, "
                   "orange: at its high end; dashed: the scenarios' own values; black: zero.")


# ---------------------------------------------------------------- the variance split


def variance_section(section, folder):
    """variance.csv: per headline total (the headline partner), the share of its variance over the
    replications that the declared ranges make, and chance's; per scenario."""
    frame = folder.variance
    partner = total_partner(folder)
    where = partner if partner != "all" else "all partners"
    scenarios = list(dict.fromkeys(frame["scenario"]))
    rows = frame[frame["partner"] == partner]
    metrics = [m for m in headline() if m in set(rows["metric"])]
    metrics += [m for m in dict.fromkeys(rows["metric"]) if m not in metrics]
    replications = int(rows["replications"].max()) if len(rows) else 0
    section.paragraph(
        "Every pair of replications drew each value declared with a range (uniform over the range; --uncertainty "
        "assumptions), so the intervals and 5-95% ranges in this report carry what is not known as well as chance. "
        "The two replications of a pair share a draw and differ by chance alone: chance's part of a total's "
        "variance is half the mean squared difference within pairs, and the declared ranges make the rest.")
    shares, table, constant = {}, [], []
    for metric in metrics:
        for scenario in scenarios:
            r = rows[(rows["metric"] == metric) & (rows["scenario"] == scenario)]
            if r.empty:
                continue
            r = r.iloc[0]
            share, variance, chance = r["assumption_share"], r["variance"], r["chance_variance"]
            name = [total_label(metric)] + ([scenario] if len(scenarios) > 1 else [])
            if not math.isfinite(share):
                table.append(name + ["NA", "NA", "NA", "NA (fewer than two pairs of replications)"])
            elif variance == 0:
                constant.append(f"{total_label(metric, short=True)}" + (f" ({scenario})" if len(scenarios) > 1
                                                                        else ""))
                table.append(name + ["0", "0", "0", "the same in every replication"])
            else:
                shares[(metric, scenario)] = share
                table.append(name + [fmt(math.sqrt(variance)), fmt(math.sqrt(min(chance, variance))),
                                     fmt(math.sqrt(share * variance)),
                                     f"{share * 100:.0f}% the ranges, {(1 - share) * 100:.0f}% chance"])
    drawn = [m for m in metrics if any((m, s) in shares for s in scenarios)]
    if drawn:
        # A panel per scenario, the totals in one order down all of them.
        columns = min(len(scenarios), 3)
        count = (len(scenarios) + columns - 1) // columns
        fig, axes = new_figure(count, columns, width=9.0 if columns < 3 else 11.0,
                               height_per_row=0.3 * len(drawn) + 1.0)
        y = np.arange(len(drawn))
        for i, scenario in enumerate(scenarios):
            ax = axes[i // columns][i % columns]
            values = np.array([shares.get((m, scenario), np.nan) for m in drawn]) * 100
            ok = np.isfinite(values)
            ax.barh(y[ok], values[ok], color=COLORS[1], alpha=0.85, label="the declared ranges")
            ax.barh(y[ok], 100 - values[ok], left=values[ok], color=COLORS[0], alpha=0.45, label="chance")
            for k in range(len(drawn)):
                ax.annotate(f"{values[k]:.0f}%" if ok[k] else "no spread or NA", (values[k] if ok[k] else 0, y[k]),
                            xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
            ax.set_yticks(y, [total_label(m, short=True) for m in drawn] if i % columns == 0 else [])
            ax.set_ylim(len(drawn) - 0.5, -0.5)
            ax.set_xlim(0, 100)
            ax.set_xlabel("share of the total's variance (%)")
            if len(scenarios) > 1:
                ax.set_title(scenario, fontsize=9)
            ax.grid(axis="y", visible=False)
        for j in range(len(scenarios), count * columns):
            axes[j // columns][j % columns].set_visible(False)
        axes[0][0].set_ylabel("headline total")
        axes[-1][0].legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncol=2, fontsize=7)
        suptitle(fig, f"What makes the spread of each total: the declared ranges or chance, {where}")
        caption = (f"Per headline total ({where}){' and scenario' if len(scenarios) > 1 else ''}, the share of its "
                   f"variance over {replications} replications ({replications // 2} pairs, one draw of the ranges "
                   "each) that the declared ranges make (orange, the number) and that chance makes (blue).")
        if constant:
            caption += f" The same in every replication, so not drawn: {', '.join(constant)}."
        section.figure(fig, "variance_split", caption)
    section.table(["headline total (unit)"] + (["scenario"] if len(scenarios) > 1 else [])
                  + ["sd over replications", "sd from chance", "sd from the ranges", "variance split"], table,
                  numeric_from=2 if len(scenarios) > 1 else 1,
                  caption="sd: the standard deviation of the total over the replications; the variances add up "
                  "(sd squared), the sds do not (variance.csv).")
