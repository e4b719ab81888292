"""The report of one `readmit experiment`: which policy does better, across
everything we are unsure of, and which assumptions drive the answer.

Sections: what was run; what each policy does across the uncertainty space
(levels, paired differences from the reference and the share of points
where a policy is lower or higher); which parameters drive the policy
differences (overview and tornado charts) and the differences against them;
which parameters drive the outcomes and the outcomes against them; PRIM
boxes; the design; the kept monthly series. The pieces shared with the sweep
report are in report_points and report_analysis.
"""
import matplotlib.patches as mpatches
import numpy as np

from .analysis import prim_section, sensitivity_section
from .common import COLORS, fmt, new_figure, readable_axis, suptitle
from .points import (INDEX_WORDS, TOP_PARAMETERS, about_section, against_caption, design_section,
                           outcomes_against_section, scatter_panel, series_legend, series_section)

# Points where a policy's paired interval lies below 0, across it, above it.
BELOW, ACROSS, ABOVE = "#1f5fa8", "#b8b8b8", "#b22222"


def build(report, folder):
    about_section(report.section("about", "What was run"), folder)
    several = len(folder.policies) > 1
    if several:
        policies_section(report.section("policies", "What each policy does across the uncertainty space"), folder)
        sensitivity_section(report.section("difference-drivers", "Which assumptions drive the policy differences"),
                            folder, difference=True)
        differences_against_section(
            report.section("differences", "Policy differences across the uncertainty space"), folder)
    sensitivity_section(report.section("outcome-drivers", "Which assumptions drive the outcomes"), folder,
                        difference=False)
    outcomes_against_section(report.section("outcomes", "Outcomes against the most influential parameters"), folder)
    prim_section(report.section("prim", "Scenario discovery: where the answer holds (PRIM)"), folder)
    design_section(report.section("design", "The design"), folder)
    series_section(report.section("series", "Cumulative removals at every point"), folder)


def classify(rows):
    """Per point: -1 (the paired 95% interval lies below 0), +1 (above), 0
    (across 0); without intervals (one replication), the sign of the difference."""
    low, high = rows["difference_ci95_low"].to_numpy(float), rows["difference_ci95_high"].to_numpy(float)
    mean = rows["difference_mean"].to_numpy(float)
    has_interval = np.isfinite(low) & np.isfinite(high)
    by_interval = np.where(high < 0, -1, np.where(low > 0, 1, 0))
    return np.where(has_interval, by_interval, np.sign(np.nan_to_num(mean))), bool(has_interval.all())


def policies_section(section, folder):
    reference = folder.reference
    section.paragraph(
        f"Every point ran every policy with the same seed, so at each point a policy's difference from {reference} "
        "is paired: replication k of each policy drew the same random numbers for the same persons and partners, "
        "and the difference's interval is that of `readmit compare`. Over the points, the difference shows how "
        "the policy's effect depends on what we do not know.")
    _, intervals = classify(folder.differences) if folder.differences is not None else (None, False)
    table = []
    for outcome in folder.outcomes:
        base = folder.values(outcome, reference)["mean"].to_numpy(float)
        table.append([outcome.label(), reference, *spread(base), "", ""])
        for alternative in folder.alternatives:
            rows = folder.difference(outcome, alternative)
            if rows is None or rows.empty:
                table.append(["", f"{alternative} - {reference}", "NA", "NA", "", ""])
                continue
            kind, _ = classify(rows)
            shares = [f"{100.0 * np.mean(kind == sign):.0f}%" for sign in (-1, 1)]
            table.append(["", f"{alternative} - {reference}", *spread(rows["difference_mean"].to_numpy(float)),
                          *shares])
    section.table(["outcome (unit)", "policy, or paired difference", "mean over points", "range over points",
                   "points lower", "points higher"], table, numeric_from=2,
                  caption=f"Over the {len(folder.design)} points (each the mean of {folder.replication_words}): the "
                  "mean of the points' values and their range [smallest, largest], for the reference policy and for "
                  "each policy's paired difference from it; points lower (higher): the share of points where "
                  + ("the difference's paired 95% interval lies below (above) 0." if intervals else
                     "the difference is below (above) 0 (one replication per point: no intervals)."))
    levels_figure(section, folder)
    shares_figure(section, folder, intervals)


def spread(values):
    """The mean and [smallest, largest] of the finite values."""
    values = values[np.isfinite(values)]
    if not len(values):
        return "NA", "NA"
    return fmt(values.mean()), f"[{fmt(values.min())}, {fmt(values.max())}]"


def grid_shape(count, columns):
    columns = min(columns, count)
    return (count + columns - 1) // columns, columns


def levels_figure(section, folder):
    outcomes = folder.outcomes
    rows_count, columns = grid_shape(len(outcomes), 3)
    fig, axes = new_figure(rows_count, columns, width=10.0, height_per_row=2.2 + 0.12 * len(folder.policies))
    for k, outcome in enumerate(outcomes):
        ax = axes[k // columns][k % columns]
        data = [folder.values(outcome, p)["mean"].dropna().to_numpy(float) for p in folder.policies]
        positions = np.arange(len(folder.policies))
        parts = ax.boxplot(data, positions=positions, vert=False, widths=0.55, whis=(5, 95), showfliers=False,
                           patch_artist=True, medianprops={"color": "black"})
        for i, box in enumerate(parts["boxes"]):
            box.set_facecolor(COLORS[i % len(COLORS)])
            box.set_alpha(0.45)
        rng = np.random.default_rng(k)
        for i, values in enumerate(data):
            ax.scatter(values, i + rng.uniform(-0.18, 0.18, len(values)), s=4, color=COLORS[i % len(COLORS)],
                       alpha=0.35, linewidths=0)
        ax.set_yticks(positions, folder.policies if k % columns == 0 else [""] * len(positions))
        ax.set_ylim(len(positions) - 0.5, -0.5)
        ax.set_title(outcome.title(), fontsize=8.5)
        ax.set_xlabel(outcome.unit() or "value")
        readable_axis(ax, "x")
        if k % columns == 0:
            ax.set_ylabel("policy")
    for j in range(len(outcomes), rows_count * columns):
        axes[j // columns][j % columns].set_visible(False)
    fig.suptitle("Each policy's outcomes over the points of the design")
    section.figure(fig, "policy_levels",
                   f"Dots: the {len(folder.design)} points, each the mean of {folder.replication_words} of "
                   "the policy there; box: 25-75% of the points with their median; whiskers: 5-95% of the points. "
                   "The spread is what we do not know (the uncertain parameters), not chance.")


def shares_figure(section, folder, intervals):
    outcomes = folder.outcomes
    rows_count, columns = grid_shape(len(outcomes), 3)
    fig, axes = new_figure(rows_count, columns, width=10.0, height_per_row=1.0 + 0.3 * len(folder.alternatives))
    words = (("lower (interval below 0)", "no clear difference", "higher (interval above 0)") if intervals
             else ("lower", "equal", "higher"))
    for k, outcome in enumerate(outcomes):
        ax = axes[k // columns][k % columns]
        for i, alternative in enumerate(folder.alternatives):
            rows = folder.difference(outcome, alternative)
            if rows is None or rows.empty:
                continue
            kind, _ = classify(rows)
            shares = [100.0 * np.mean(kind == s) for s in (-1, 0, 1)]
            left = 0.0
            for share, color, word in zip(shares, (BELOW, ACROSS, ABOVE), words):
                ax.barh(i, share, left=left, color=color, height=0.6)
                if share >= 12:
                    ax.text(left + share / 2, i, f"{share:.0f}%", ha="center", va="center", fontsize=7,
                            color="white" if color != ACROSS else "black")
                left += share
        ax.set_yticks(range(len(folder.alternatives)),
                      folder.alternatives if k % columns == 0 else [""] * len(folder.alternatives))
        ax.set_ylim(len(folder.alternatives) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.set_title(outcome.title(), fontsize=8.5)
        ax.set_xlabel("share of points (%)")
        ax.grid(False)
        if k % columns == 0:
            ax.set_ylabel("policy")
    for j in range(len(outcomes), rows_count * columns):
        axes[j // columns][j % columns].set_visible(False)
    handles = [mpatches.Patch(color=color, label=word) for color, word in zip((BELOW, ACROSS, ABOVE), words)]
    # Below the panels, in a strip the layout leaves free.
    strip = 0.35 / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, strip, 1, 1 - strip))
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=7.5)
    suptitle(fig, f"Where each policy is lower or higher than {folder.reference}")
    how = (f"whether the paired 95% interval of (policy - {folder.reference}) over the {folder.replication_words} "
           "of the point lies below 0, across 0, or above 0" if intervals else
           f"the sign of (policy - {folder.reference}) at the point, from {folder.replication_words} (no "
           "intervals: run more replications per point)")
    section.figure(fig, "policy_shares",
                   f"Share of the {len(folder.design)} points by {how}. Whether lower is better depends on the "
                   "outcome: fewer removals, fewer children separated.")


def differences_against_section(section, folder):
    """Each outcome's paired differences against the parameters that drive
    them, points coloured by policy; filled: the point's interval excludes 0."""
    subjects = [(a, folder.reference) for a in folder.alternatives]
    ranked = ("by the largest " + INDEX_WORDS[folder.main_index()] + " of the differences" if folder.analysed
              else "in the design's order (no sensitivity indices)")
    section.paragraph(
        f"At each point, each policy's paired difference from {folder.reference}, against the {TOP_PARAMETERS} "
        f"parameters that drive the differences most ({ranked}). Where the line crosses 0, the policy's effect "
        "changes sign with that parameter.")
    for k, outcome in enumerate(folder.outcomes):
        series, zero = [], []
        any_interval = False
        for i, alternative in enumerate(folder.alternatives):
            rows = folder.difference(outcome, alternative)
            if rows is None or rows.empty:
                continue
            values = rows["difference_mean"].to_numpy(float)
            if np.all(np.nan_to_num(values) == 0):
                zero.append(alternative)
                continue
            kind, intervals = classify(rows)
            any_interval = any_interval or intervals
            filled = (kind != 0) if intervals else np.ones(len(rows), dtype=bool)
            series.append((f"{alternative} - {folder.reference}", COLORS[(i + 1) % len(COLORS)],
                           rows.rename(columns={"difference_mean": "value"}), filled))
        if not series:
            section.paragraph(f"{outcome.title()}: every policy equals {folder.reference} at every point.")
            continue
        shown = folder.ranking(outcome, subjects)[:TOP_PARAMETERS]
        fig, axes = new_figure(1, len(shown), width=min(3.3 * len(shown) + 0.4, 10.0), height_per_row=3.0)
        for j, parameter in enumerate(shown):
            ax = axes[0][j]
            scatter_panel(ax, folder, parameter, series, jitter_seed=100 + k)
            ax.axhline(0, color="black", linewidth=0.8)
            if j == 0:
                ax.set_ylabel(f"difference ({outcome.unit()})" if outcome.unit() else "difference")
        series_legend(axes[0][0], series)
        suptitle(fig, f"{outcome.title()}: each policy minus {folder.reference}, against the parameters that drive it")
        filled_words = (", paired; filled: its 95% interval excludes 0, hollow: it includes 0" if any_interval
                        else ", paired")
        caption = against_caption(folder, "paired difference", filled_words)
        if zero:
            caption += f" Not drawn: {', '.join(zero)} (equal to {folder.reference} at every point)."
        section.figure(fig, f"difference_{k + 1:02d}", caption)
