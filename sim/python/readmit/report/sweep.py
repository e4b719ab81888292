"""The report of one `readmit sweep`: how the outcomes move with the swept
parameters.

Sections: what was swept; the design; which parameters drive the outcomes
(when the sweep file names `outcomes`: tornado charts of sensitivity.csv);
each outcome against the parameters (a grid: every point's mean and
interval, points joined along the other parameters; other designs: the
points with binned means against the most influential parameters); PRIM
boxes (when the file asks `prim` questions); a monthly series at every point
(with `keep: [timeseries]`); every point's totals. The pieces are shared
with the experiment report (report_points, report_analysis).
"""
from .common import fmt, fmt_interval
from .analysis import prim_section, sensitivity_section
from .points import about_section, design_section, grid_outcomes_section, is_grid, outcomes_against_section, \
    series_section


def build(report, folder):
    about_section(report.section("about", "What was swept"), folder)
    design_section(report.section("design", "The design"), folder)
    if folder.analysed:
        sensitivity_section(report.section("outcome-drivers", "Which parameters drive the outcomes"), folder,
                            difference=False)
    if is_grid(folder):
        grid_outcomes_section(report.section("outcomes", "Outcomes against the swept parameters"), folder)
    else:
        outcomes_against_section(report.section("outcomes", "Outcomes against the most influential parameters"),
                                 folder)
    if folder.prim is not None and not folder.prim.empty:
        prim_section(report.section("prim", "Scenario discovery: where the answer holds (PRIM)"), folder)
    series_section(report.section("series", "Cumulative removals at every point"), folder)
    points_table_section(report.section("points", "Every point's run totals"), folder)


def points_table_section(section, folder):
    table = folder.outcome_table
    outcomes = folder.outcomes[:4]
    rows = []
    for _, point in folder.design.iterrows():
        cells = [str(point["point"])] + [str(point[p]) for p in folder.parameters]
        for outcome in outcomes:
            r = table[(table["point"] == point["point"]) & (table["partner"] == outcome.partner)
                      & (table["metric"] == outcome.metric)]
            cells.append(f"{fmt(r.iloc[0]['mean'])} {fmt_interval(r.iloc[0]['ci95_low'], r.iloc[0]['ci95_high'])}"
                         if len(r) else "NA")
        rows.append(cells)
    section.table(["point"] + [folder.labels[p] for p in folder.parameters] + [o.label() for o in outcomes], rows,
                  numeric_from=1, caption=f"Mean [95% CI of the mean] over the {folder.replication_words} of "
                  f"each point{', for the first 4 outcomes' if len(folder.outcomes) > 4 else ''}. Every statistic of "
                  "every run total is in sweep.csv.",
                  collapsed="Table: every point's totals" if len(rows) > 30 else None)
