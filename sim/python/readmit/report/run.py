"""The report of one `readmit run`: what happened and how sure we are.

Sections: run totals; stocks by state; removals against the document
backlog; decision times; per partner, cooperation and the sanction step with
reviews and events; visas refused by category; households and returnees;
amendment coverage; with `--uncertainty assumptions`, the variance split
(report.assumptions). The per-partner diplomacy figure and the event summary
are shared with the comparison report.
"""
import numpy as np
import pandas as pd

from . import assumptions as report_assumptions
from .common import (COLORS, headline, band_caption, band_plot, date_axis, fmt, fmt_interval, monthly_label,
                           new_figure, provenance, replication_count, total_label, total_partner)

PENDING_STOCKS = ["stock_prison", "stock_detained", "stock_awaiting_document", "stock_scheduled", "stock_supervised"]
ENDED_STOCKS = ["stock_removed", "stock_relief", "stock_exempted", "stock_unremovable"]
BACKLOG = ["stock_awaiting_interview", "stock_document_queue", "stock_in_decision"]
HOUSEHOLD_SERIES = ["children_affected", "child_days_separated", "main_earners_lost", "households_followed",
                    "returnees_followed", "reintegration_admissions", "severe_outcomes", "homelessness"]
HOUSEHOLD_TOTALS = ["children_affected", "child_days_separated", "main_earners_lost", "severe_outcomes",
                    "homelessness"]
REVIEW_CLASSES = [("compliant", "#2e8b57"), ("at_risk", "#e0a030"), ("uncooperative", "#b22222")]
# Events marked on the diplomacy figure (reviews are drawn as bars).
MARKED_EVENTS = ["timeline", "sanction_decided", "sanction_in_force", "linkage_suspended", "linkage_resumed",
                 "amendment_requested", "negotiation_agreed", "amendment_in_force", "amendment_ended"]
EVENT_WORDS = {
    "timeline": "timeline", "sanction_decided": "sanction decided", "sanction_in_force": "sanction in force",
    "linkage_suspended": "linkage suspended", "linkage_resumed": "linkage resumed",
    "amendment_requested": "amendments requested", "negotiation_agreed": "negotiation agreed",
    "amendment_in_force": "amendment in force", "amendment_ended": "amendment ended",
}
MAX_MARKED_EVENTS = 12
ALL_SCENARIOS = "all scenarios"


def where(folder):
    """'cambodia' for a one-partner run, else 'all partners'."""
    partner = total_partner(folder)
    return partner if partner != "all" else "all partners"


def build(report, folder):
    scenario = folder.scenario_names[0]
    provenance(report.section("about", "What was run"), folder.metadata, folder.reader,
               report_assumptions.provenance_rows(folder, None))
    totals_section(report.section("totals", "Run totals"), folder, scenario)
    if folder.variance is not None:
        report_assumptions.variance_section(
            report.section("variance", "What the declared ranges add to the spread"), folder)
    stocks_section(report.section("stocks", "Stocks by state over time"), folder, scenario)
    removals_section(report.section("removals", "Removals and the document backlog"), folder, scenario)
    decisions_section(report.section("decisions", "Decision times"), folder, scenario)
    diplomacy = report.section("diplomacy", "Cooperation, reviews and sanctions, per partner")
    for partner in folder.partners:
        diplomacy_figure(diplomacy, folder, [scenario], partner)
    visas_section(report.section("visas", "Visas refused by category"), folder, scenario)
    households_section(report.section("households", "Households and returnees"), folder, scenario)
    amendments_section(report.section("amendments", "Amendment coverage"), folder, scenario)


# ---------------------------------------------------------------- totals


def totals_rows(folder, scenario, partner, metrics):
    rows = []
    for metric in metrics:
        row = folder.total(scenario, partner, metric)
        if row is None:
            continue
        rows.append([total_label(metric), fmt(row["mean"]), fmt_interval(row["ci95_low"], row["ci95_high"]),
                     fmt(row["p50"]), fmt_interval(row["p05"], row["p95"]), str(int(row["n"]))])
    return rows


TOTALS_HEADER = ["run total (unit)", "mean", "95% CI of the mean", "median", "5-95% of replications", "n"]


def totals_section(section, folder, scenario):
    partner = total_partner(folder)
    replications = folder.metadata.get("replications", "?")
    section.paragraph(
        f"Headline outcomes over the whole horizon ({where(folder)}), from {replications} replications. The 95% "
        "confidence interval says how precisely the mean is known; the 5-95% range says how much one run of "
        "history can differ from another.")
    section.table(TOTALS_HEADER, totals_rows(folder, scenario, partner, headline()))
    others = [m for m in dict.fromkeys(folder.summary["metric"]) if m not in headline()]
    for p in ([partner] + [q for q in folder.partners if q != partner]):
        section.table(TOTALS_HEADER, totals_rows(folder, scenario, p, others if p == partner else headline() + others),
                      collapsed=f"Every run total, {p}")
    fiscal = [m for m in dict.fromkeys(folder.summary["metric"]) if m.startswith("removals_fy")]
    rows = [folder.total(scenario, partner, m) for m in fiscal]
    if not rows:
        return
    fig, axes = new_figure(1, 1, height_per_row=3.0)
    ax = axes[0][0]
    years = [m[len("removals_fy"):] for m in fiscal]
    x = np.arange(len(years))
    means = np.array([r["mean"] for r in rows])
    ax.bar(x, means, color=COLORS[0], alpha=0.75, label="mean")
    ax.errorbar(x, means, yerr=[means - [r["ci95_low"] for r in rows], [r["ci95_high"] for r in rows] - means],
                fmt="none", ecolor="black", capsize=4, linewidth=1.5, label="95% CI of the mean")
    ax.vlines(x + 0.28, [r["p05"] for r in rows], [r["p95"] for r in rows], color="grey", linewidth=2.5,
              label="5-95% of replications")
    ax.set_xticks(x, [f"FY{y}" for y in years])
    ax.set_xlabel("US fiscal year (October to September)")
    ax.set_ylabel("removals (persons)")
    ax.legend(loc="upper right")
    fig.suptitle(f"Removals by fiscal year, {where(folder)}")
    section.figure(fig, "removals_by_fiscal_year",
                   f"Bars: mean removals per US fiscal year over {int(rows[0]['n'])} replications; black: 95% "
                   "confidence interval of the mean; grey: 5-95% of replications. A fiscal year cut by the "
                   "horizon counts only its simulated months.")


# ---------------------------------------------------------------- monthly series


def small_multiples(section, folder, scenario, partner, metrics, name, title, columns=2, what=""):
    """One panel per metric (median and bands); returns False when none exists."""
    present = [(m, folder.series(scenario, partner, m)) for m in metrics]
    present = [(m, rows) for m, rows in present if rows is not None]
    if not present:
        return False
    rows_count = (len(present) + columns - 1) // columns
    fig, axes = new_figure(rows_count, columns, height_per_row=2.3, sharex=True)
    replications = 0
    for i, (metric, rows) in enumerate(present):
        ax = axes[i // columns][i % columns]
        band_plot(ax, rows, COLORS[i % len(COLORS)])
        label, unit = monthly_label(metric)
        ax.set_title(label)
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        date_axis(ax)
        replications = max(replications, replication_count(rows))
    for j in range(len(present), rows_count * columns):
        axes[j // columns][j % columns].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("month")
    fig.suptitle(title)
    section.figure(fig, name, f"{what}{band_caption(replications)}")
    return True


def stocks_section(section, folder, scenario):
    partner = "all"
    section.paragraph(
        "Where the persons with a final order are at the end of each month: in prison, in post-order detention "
        "(before the document request, waiting for the document, waiting for a flight), or released on "
        "supervision; then the cumulative outcomes.")
    small_multiples(section, folder, scenario, partner, PENDING_STOCKS, "stocks_pending",
                    f"Pending cases by state, {where(folder)}", what="Month-end stocks. ")
    small_multiples(section, folder, scenario, partner, ENDED_STOCKS, "stocks_ended",
                    f"Cases ended, cumulative, {where(folder)}", what="Cumulative month-end stocks. ")


def removals_section(section, folder, scenario):
    removals = folder.series(scenario, "all", "removals")
    if removals is None:
        section.note("timeseries.csv has no removals series.")
        return
    fig, axes = new_figure(2, 1, height_per_row=2.6, sharex=True)
    top, bottom = axes[0][0], axes[1][0]
    band_plot(top, removals, COLORS[0], label="removals")
    top.set_ylabel("removals (persons per month)")
    top.set_title("Removals per month")
    top.set_ylim(bottom=0)
    for i, metric in enumerate(BACKLOG):
        rows = folder.series(scenario, "all", metric)
        if rows is not None:
            band_plot(bottom, rows, COLORS[i + 1], label=monthly_label(metric)[0])
    bottom.set_title("Document backlog at month end, by stage of the request")
    bottom.set_ylabel("requests pending")
    bottom.set_xlabel("month")
    bottom.set_ylim(bottom=0)
    bottom.legend(loc="upper left")
    date_axis(bottom)
    fig.suptitle(f"Removals per month against the document backlog, {where(folder)}")
    section.figure(fig, "removals_vs_backlog",
                   "Removals need an issued document: when requests pile up waiting for an interview, an officer "
                   "or a decision, removals stall. " + band_caption(replication_count(removals)))


def decisions_section(section, folder, scenario):
    partners = folder.partners
    fig, axes = new_figure(1, 2, height_per_row=3.0)
    left, right = axes[0]
    replications = 0
    for i, partner in enumerate(partners):
        rows = folder.series(scenario, partner, "decision_days_p50")
        if rows is None:
            continue
        band_plot(left, rows.dropna(subset=["p50"]), COLORS[i % len(COLORS)], label=partner)
        replications = max(replications, replication_count(rows))
    left.set_title("Median decision time of the month's decisions")
    left.set_ylabel("days from request to decision")
    left.set_xlabel("month")
    left.set_ylim(bottom=0)
    date_axis(left)
    if len(partners) > 1:
        left.legend()
    reps = folder.replications
    totals = reps[(reps["scenario"] == scenario) & (reps["metric"] == "median_days_request_to_removal")]
    for i, partner in enumerate(partners):
        values = totals.loc[totals["partner"] == partner, "value"].dropna()
        if len(values):
            right.hist(values, bins=30, color=COLORS[i % len(COLORS)], alpha=0.6, label=partner)
    right.set_title("Days from first request to removal, per replication")
    right.set_xlabel("median over the run's removals (days)")
    right.set_ylabel("replications")
    if len(partners) > 1:
        right.legend()
    fig.suptitle("Decision times")
    section.figure(fig, "decision_times",
                   f"Left: {band_caption(replications)} Months in which a replication decided nothing are left "
                   "out of that month's statistics. Right: histogram over replications of the run total "
                   "median_days_request_to_removal (replications with no removal are left out).")


# ---------------------------------------------------------------- diplomacy


def event_summary(events, scenario, partner, replications):
    """For each (event, detail) of a scenario and partner: in how many
    replications it happened and when it first did (median and 5-95% of dates)."""
    rows = events[(events["scenario"] == scenario) & (events["partner"] == partner) &
                  (events["event"].isin(MARKED_EVENTS))]
    if rows.empty:
        return pd.DataFrame(columns=["event", "detail", "share", "median", "early", "late"])
    first = rows.groupby(["event", "detail", "replication"])["date"].min().reset_index()
    out = []
    for (event, detail), group in first.groupby(["event", "detail"], sort=False):
        days = group["date"].astype("int64")
        out.append({"event": event, "detail": detail, "share": len(group) / max(replications, 1),
                    "median": pd.to_datetime(np.quantile(days, 0.5)),
                    "early": pd.to_datetime(np.quantile(days, 0.05)),
                    "late": pd.to_datetime(np.quantile(days, 0.95))})
    frame = pd.DataFrame(out)
    return frame.sort_values(["median", "event"]).reset_index(drop=True)


def review_shares(events, scenario, partner):
    """Share of replications in each class at each review date."""
    rows = events[(events["scenario"] == scenario) & (events["partner"] == partner) & (events["event"] == "review")]
    if rows.empty:
        return None
    counts = rows.groupby(["date", "detail"]).size().unstack(fill_value=0)
    return counts.div(counts.sum(axis=1), axis=0)


def diplomacy_figure(section, folder, scenarios, partner):
    """Cooperation, the sanction step and the review classes of one partner,
    with the diplomatic events marked; one line per scenario."""
    events = folder.events
    replications = int(folder.metadata.get("replications", 0))
    fig, axes = new_figure(3, 1, height_per_row=2.3, sharex=True)
    coop, step, review = axes[0][0], axes[1][0], axes[2][0]
    count = 0
    for i, scenario in enumerate(scenarios):
        label = scenario if len(scenarios) > 1 else None
        rows = folder.series(scenario, partner, "cooperation")
        if rows is not None:
            band_plot(coop, rows, COLORS[i], label=label)
            count = max(count, replication_count(rows))
        rows = folder.series(scenario, partner, "sanction_step")
        if rows is not None:
            band_plot(step, rows, COLORS[i], label=label)
            step.plot(rows["date"], rows["mean"], color=COLORS[i], linestyle=":", linewidth=1.2,
                      label=f"mean {scenario}" if label else "mean")
    coop.set_ylabel("cooperation (0-1)")
    coop.set_ylim(0, 1.05)
    coop.set_title("Partner cooperation at month end")
    step.set_ylabel("sanction step")
    step.set_title("Sanction step in force at month end")
    step.set_ylim(bottom=0)
    step.yaxis.get_major_locator().set_params(integer=True)
    step.legend(loc="upper left")
    if len(scenarios) > 1:
        coop.legend(loc="lower left")

    # Review classes: one stacked bar per review date; with several
    # scenarios, each one's share of uncooperative classes side by side.
    shares = review_shares(events, scenarios[0], partner)
    if len(scenarios) > 1:
        for i, scenario in enumerate(scenarios):
            s = review_shares(events, scenario, partner)
            if s is not None and "uncooperative" in s:
                offset = pd.Timedelta(days=int((i - (len(scenarios) - 1) / 2) * 24 / len(scenarios)))
                review.bar(s.index + offset, s["uncooperative"], width=24 / len(scenarios), color=COLORS[i],
                           label=scenario)
        review.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    elif shares is not None:
        width = 25 if len(shares) < 60 else 12
        bottom = np.zeros(len(shares))
        for name, color in REVIEW_CLASSES:
            if name in shares:
                review.bar(shares.index, shares[name], width=width, bottom=bottom, color=color, label=name)
                bottom += shares[name].to_numpy()
        review.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    review.set_ylim(0, 1)
    review.set_ylabel("share of replications")
    review.set_title("Compliance reviews: share of replications classifying the partner uncooperative"
                     if len(scenarios) > 1 else "Compliance review classes")
    review.set_xlabel("month")
    date_axis(review)

    summaries = [(s, event_summary(events, s, partner, replications)) for s in scenarios]
    numbered = mark_events(fig, [coop, step, review], summaries)
    fig.suptitle(f"Cooperation, reviews and sanctions: {partner}")
    classes = ("uncooperative, per scenario" if len(scenarios) > 1 else "compliant, at risk or uncooperative")
    caption = (f"Top two panels: {band_caption(count)} The dotted line is the mean sanction step. Bottom: at each "
               f"compliance review, the share of replications classifying the partner {classes}. Numbered lines: diplomatic events at the median date they first happen (shaded: "
               "5-95% of those dates), listed below.")
    name = f"diplomacy_{partner}" if len(scenarios) == 1 else f"diplomacy_overlay_{partner}"
    section.figure(fig, name, caption)
    if numbered:
        header = ["#", "scenario", "event", "detail", "in % of replications", "median date", "5-95% of dates"]
        if len(scenarios) == 1:
            header.pop(1)
            numbered = [row[:1] + row[2:] for row in numbered]
        section.table(header, numbered, numeric_from=len(header) - 3,
                      caption=f"Events of {partner}: for each, the first time it happens in a replication.")
    else:
        section.paragraph(f"No diplomatic event (timeline note, sanction, linkage, amendment request, "
                          f"negotiation, amendment) happened for {partner}.")


def mark_events(fig, axes, summaries):
    """Draws numbered vertical lines at events' median dates on every panel;
    returns the table rows. Rare events (under 5% of replications) are left
    out when there are too many to read."""
    # An event that every scenario has alike (a timeline note they share) is
    # listed once, for "all scenarios".
    rows, seen = [], {}
    for scenario, frame in summaries:
        for _, e in frame.iterrows():
            key = (e["event"], e["detail"], e["median"], e["early"], e["late"], round(e["share"], 3))
            seen.setdefault(key, []).append(scenario)
            rows.append((scenario, e, key))
    everywhere = {key for key, names in seen.items() if len(names) == len(summaries) > 1}
    rows = [(ALL_SCENARIOS if key in everywhere else scenario, e) for scenario, e, key in rows
            if key not in everywhere or scenario == summaries[0][0]]
    rows.sort(key=lambda row: row[1]["median"])
    if len(rows) > MAX_MARKED_EVENTS:
        rows = [r for r in rows if r[1]["share"] >= 0.05][:MAX_MARKED_EVENTS]
    table = []
    scenarios = [s for s, _ in summaries]
    # Labels of events close in time step down the panel instead of overlapping.
    previous, level = None, 0
    for number, (scenario, e) in enumerate(rows, start=1):
        close = previous is not None and (e["median"] - previous).days < 75
        level = level + 1 if close else 0
        previous = e["median"]
        color = COLORS[scenarios.index(scenario)] if scenario in scenarios and len(scenarios) > 1 else "#555555"
        for ax in axes:
            ax.axvline(e["median"], color=color, linestyle="--", linewidth=0.8, alpha=0.8)
            if e["late"] > e["early"]:
                ax.axvspan(e["early"], e["late"], color=color, alpha=0.05)
        top = axes[0]
        top.annotate(str(number), (e["median"], 1.0), xycoords=("data", "axes fraction"),
                     xytext=(2, -10 - 10 * (level % 6)),
                     textcoords="offset points", fontsize=7, color=color, fontweight="bold")
        table.append([str(number), scenario, EVENT_WORDS.get(e["event"], e["event"]), e["detail"],
                      f"{100 * e['share']:.0f}%", e["median"].strftime("%Y-%m-%d"),
                      f"{e['early'].strftime('%Y-%m-%d')} to {e['late'].strftime('%Y-%m-%d')}"])
    return table


# ---------------------------------------------------------------- visas, households, amendments


def visas_section(section, folder, scenario):
    ts = folder.timeseries
    prefix = "visa_refusals."
    rows = ts[(ts["scenario"] == scenario) & (ts["partner"] == "all") & ts["metric"].str.startswith(prefix)]
    categories = [m for m in dict.fromkeys(rows["metric"]) if rows.loc[rows["metric"] == m, "mean"].max() > 0]
    total = folder.total(scenario, total_partner(folder), "visa_refusals")
    if total is not None:
        section.paragraph(f"Visa applications refused under sanctions over the horizon: mean {fmt(total['mean'])} "
                          f"{fmt_interval(total['ci95_low'], total['ci95_high'])} (95% CI), 5-95% of replications "
                          f"{fmt_interval(total['p05'], total['p95'])}.")
    if not categories:
        section.paragraph("No visa was refused in any replication: no sanction step naming a visa category was "
                          "in force.")
        return
    fig, axes = new_figure(1, 2, height_per_row=3.2)
    left, right = axes[0]
    pivot = rows[rows["metric"].isin(categories)].pivot(index="date", columns="metric", values="mean").fillna(0)
    left.stackplot(pivot.index, [pivot[c] for c in categories], labels=[c[len(prefix):] for c in categories],
                   colors=COLORS[:len(categories)], alpha=0.8)
    left.set_title("Mean refusals per month, stacked by category")
    left.set_ylabel("refusals (applications per month)")
    left.set_xlabel("month")
    left.legend(loc="upper left")
    date_axis(left)
    overall = folder.series(scenario, "all", "visa_refusals")
    if overall is not None:
        band_plot(right, overall, COLORS[0])
    right.set_title("All categories: median and bands")
    right.set_ylabel("refusals (applications per month)")
    right.set_xlabel("month")
    right.set_ylim(bottom=0)
    date_axis(right)
    fig.suptitle(f"Visas refused under sanctions, {where(folder)}")
    section.figure(fig, "visa_refusals",
                   "Left: mean over replications of each category's refusals (means add up, so they stack). "
                   f"Right: {band_caption(replication_count(overall))}")


def households_section(section, folder, scenario):
    section.paragraph("What removals do to the households left behind and to the returnees: children separated "
                      "and child-days apart, main earners lost, returnees followed up, admitted to reintegration, "
                      "with severe outcomes (suicide or death) or homeless.")
    section.table(TOTALS_HEADER, totals_rows(folder, scenario, total_partner(folder), HOUSEHOLD_TOTALS))
    small_multiples(section, folder, scenario, "all", HOUSEHOLD_SERIES, "households_returnees",
                    f"Household and returnee outcomes per month, {where(folder)}", what="Flows per month, "
                    "except returnees in follow-up (month-end stock). ")


def amendment_columns(folder):
    ts = folder.timeseries
    return [m for m in dict.fromkeys(ts["metric"]) if m.startswith("in_force_")]


def amendments_section(section, folder, scenario):
    ts = folder.timeseries
    flags = amendment_columns(folder)
    section.paragraph("The amendments (exemptions and procedural guarantees) in force, as the share of "
                      "replications in which each is in force at month end, with the partner's open amendment "
                      "requests; and the persons the amendments touched.")
    for partner in folder.partners:
        sub = ts[(ts["scenario"] == scenario) & (ts["partner"] == partner)]
        used = [f for f in flags if sub.loc[sub["metric"] == f, "mean"].max() > 0]
        fig, axes = new_figure(1, 2, height_per_row=3.0, sharex=True)
        left, right = axes[0]
        for i, flag in enumerate(used):
            rows = folder.series(scenario, partner, flag)
            left.plot(rows["date"], rows["mean"], color=COLORS[i % len(COLORS)], linewidth=1.6,
                      label=flag[len("in_force_"):])
        request = folder.series(scenario, partner, "amendment_request_open")
        if request is not None and request["mean"].max() > 0:
            left.plot(request["date"], request["mean"], color="black", linestyle=":", linewidth=1.4,
                      label="a request is open")
        left.set_ylim(-0.02, 1.02)
        left.set_ylabel("share of replications")
        left.set_xlabel("month")
        left.set_title("In force at month end" if used else "No amendment in force in any replication")
        if left.get_legend_handles_labels()[0]:
            left.legend(loc="center left")
        date_axis(left)
        count = 0
        for i, metric in enumerate(["exemptions", "humanitarian_denials", "households_notified", "cap_deferrals"]):
            rows = folder.series(scenario, partner, metric)
            if rows is not None and rows["mean"].max() > 0:
                right.plot(rows["date"], rows["mean"], color=COLORS[i], linewidth=1.4, label=monthly_label(metric)[0])
                count = max(count, replication_count(rows))
        right.set_ylim(bottom=0)
        right.set_ylabel("persons or requests per month (mean)")
        right.set_xlabel("month")
        right.set_title("What the amendments did")
        if right.get_legend_handles_labels()[0]:
            right.legend(loc="upper left")
        else:
            right.text(0.5, 0.5, "no exemption, humanitarian denial,\nnotice or cap deferral", ha="center",
                       va="center", transform=right.transAxes, color="#777")
        date_axis(right)
        fig.suptitle(f"Amendment coverage: {partner}")
        replications = folder.metadata.get("replications", "?")
        section.figure(fig, f"amendments_{partner}",
                       f"Left: share of the {replications} replications in which each amendment is in force at "
                       "month end (only amendments ever in force), and in which a partner request awaits an "
                       "answer (dotted). Right: means over replications.")
