"""Shared by the report builders: metric labels and units (from the folder's
metrics.csv), number formats, the banded time-series plot, and the page
itself (sections, figures saved as PNG and SVG and embedded, tables,
provenance). The folder is read by readmit.folder, the package's one reader.

Every figure goes through Section.figure, which insists on a title, axis
labels and a caption, saves FIGURE.png and FIGURE.svg under DIR/figures/ and
embeds the PNG in report.html, so the page opens offline on its own.
"""
import base64
import datetime
import hashlib
import html
import io
import json
import math
import os
import re
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from ..folder import MetricDictionary  # noqa: E402


# Reproducible SVG ids and no timestamps in the figure files: the same
# outputs give the same figure bytes.
matplotlib.rcParams.update({
    "svg.hashsalt": "readmit",
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
})
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}

COLORS = ["#1f5fa8", "#d2691e", "#2e8b57", "#8b3a8b", "#b22222", "#4f6d7a", "#a0785a", "#708090"]

def total_label(metric, short=False):
    """'removals (persons)', or for a window total 'removals in FY2019
    (persons)', from the folder's metrics.csv; short: the unit's first clause
    only (for axes)."""
    label, unit = _dictionary.label(metric), _dictionary.unit(metric)
    if short:
        unit = unit.split(";")[0]
    return f"{label} ({unit})" if unit else label


def total_unit(metric):
    return _dictionary.unit(metric)


def monthly_label(metric):
    """(label, unit) of a monthly metric, from the folder's metrics.csv."""
    return _dictionary.label(metric), _dictionary.unit(metric)


def headline():
    """The run totals of the headline, in the terminal table's order."""
    return _dictionary.headline()


# The data dictionary of the folder being reported (use_dictionary).
_dictionary = MetricDictionary(None)


def use_dictionary(dictionary):
    """Labels, units and the headline come from this folder's metrics.csv."""
    global _dictionary
    _dictionary = dictionary


def readable_axis(ax, axis="y"):
    """Tick labels as the tables write numbers (31.6M, not 3.16 with 1e7 above)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: fmt(value, 3)))


def fmt(value, digits=4):
    """A number as the terminal table shows it: 4 significant digits, with
    K/M/B suffixes from a million; NA for a missing value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "NA"
    magnitude = abs(value)
    for scale, suffix in ((1e9, "B"), (1e6, "M")):
        if magnitude >= scale:
            return f"{value / scale:.{digits}g}{suffix}"
    if magnitude >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def fmt_interval(low, high):
    return f"[{fmt(low)}, {fmt(high)}]"


def total_partner(folder):
    """The partner whose totals the headline uses: the only partner, or 'all'."""
    partners = folder.partners
    return partners[0] if len(partners) == 1 else "all"


# ---------------------------------------------------------------- plotting


def band_plot(ax, rows, color, label=None, bands=True):
    """Median line with the 25-75% (dark) and 5-95% (light) bands over replications."""
    x = rows["date"]
    if bands:
        ax.fill_between(x, rows["p05"], rows["p95"], color=color, alpha=0.13, linewidth=0, step=None)
        ax.fill_between(x, rows["p25"], rows["p75"], color=color, alpha=0.3, linewidth=0)
    ax.plot(x, rows["p50"], color=color, linewidth=1.5, label=label)


def band_caption(replications, what="replications"):
    return (f"Line: median over {replications} {what}; dark band: 25-75% of {what} (50% band); "
            f"light band: 5-95% (90% band).")


def date_axis(ax):
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def replication_count(rows):
    """Replications behind a statistic: the largest n (NaN values are left out)."""
    return int(rows["n"].max()) if rows is not None and len(rows) else 0


def suptitle(fig, text):
    """The figure's title, wrapped to its width."""
    fig.suptitle(textwrap.fill(text, width=int(fig.get_figwidth() * 11)))


def new_figure(rows=1, columns=1, width=9.0, height_per_row=2.8, sharex=False):
    fig, axes = plt.subplots(rows, columns, figsize=(width, height_per_row * rows + 0.6), sharex=sharex,
                             squeeze=False, layout="constrained")
    return fig, axes


# ---------------------------------------------------------------- the page


class Section:
    def __init__(self, report, key, title):
        self.report = report
        self.key = key
        self.title = title
        self.parts = []

    def paragraph(self, text):
        self.parts.append(f"<p>{html.escape(text)}</p>")

    def subheading(self, text):
        self.parts.append(f"<h3>{html.escape(text)}</h3>")

    def note(self, text):
        self.parts.append(f'<p class="note">{html.escape(text)}</p>')

    def table(self, header, rows, caption=None, numeric_from=1, css_class="data", collapsed=None, break_at_dots=(),
              numeric_until=None):
        """rows: lists of cells (text); columns from numeric_from on (up to
        numeric_until, when given) are right-aligned. collapsed: a summary
        line; the table then opens on a click. break_at_dots: columns (of
        parameter paths) that may wrap after a dot."""
        parts = [f"<details><summary>{html.escape(collapsed)}</summary>"] if collapsed else []
        parts.append(f'<table class="{css_class}">')
        if caption:
            parts.append(f"<caption>{html.escape(caption)}</caption>")
        # A header may be a scenario's long name: it may wrap after an underscore.
        parts.append("<thead><tr>" + "".join(f"<th>{html.escape(str(h)).replace('_', '_<wbr>')}</th>"
                                             for h in header) + "</tr></thead>")
        parts.append("<tbody>")
        for row in rows:
            cells = []
            for i, cell in enumerate(row):
                klass = ' class="num"' if numeric_from <= i < (numeric_until or len(row)) else ""
                text = html.escape(str(cell))
                if i in break_at_dots:
                    text = text.replace(".", ".<wbr>")
                cells.append(f"<td{klass}>{text}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
        if collapsed:
            parts.append("</details>")
        self.parts.append("".join(parts))

    def preformatted(self, text):
        self.parts.append(f"<pre>{html.escape(text)}</pre>")

    def figure(self, fig, name, caption):
        """Saves the figure as figures/NAME.png and .svg and embeds the PNG.
        The figure must have a title (suptitle or first axes title) and
        labelled axes; the caption says what the lines and bands are."""
        title = fig._suptitle.get_text() if fig._suptitle is not None else ""
        if not title:
            raise ValueError(f"figure {name}: no title")
        for ax in fig.axes:
            if ax.has_data() and not (ax.get_xlabel() or ax.get_ylabel()):
                raise ValueError(f"figure {name}: an axes without labels")
        name = figure_name(name)
        png = io.BytesIO()
        fig.savefig(png, format="png", metadata=PNG_METADATA)
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata=SVG_METADATA)
        plt.close(fig)
        self.report.save_figure(name, png.getvalue(), svg.getvalue())
        encoded = base64.b64encode(png.getvalue()).decode("ascii")
        self.parts.append(
            f'<figure id="fig-{html.escape(name)}" class="figure">'
            f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(title)}">'
            f"<figcaption><b>{html.escape(title)}.</b> {html.escape(caption)} "
            f'<span class="files">(<a href="figures/{html.escape(name)}.png">PNG</a>, '
            f'<a href="figures/{html.escape(name)}.svg">SVG</a>)</span></figcaption></figure>')

    def html(self):
        return (f'<section id="{html.escape(self.key)}" data-section="{html.escape(self.key)}">'
                f"<h2>{html.escape(self.title)}</h2>" + "\n".join(self.parts) + "</section>")


class Report:
    """One report.html with its figures; sections appear in creation order."""

    def __init__(self, out_dir, kind, title, subtitle=""):
        """out_dir: a new folder the page and figures/ go into (readmit report publishes them)."""
        self.out_dir = out_dir
        self.kind = kind
        self.title = title
        self.subtitle = subtitle
        self.sections = []
        self.figure_names = []
        self.figure_dir = os.path.join(out_dir, "figures")
        os.mkdir(self.figure_dir)

    def section(self, key, title):
        section = Section(self, key, title)
        self.sections.append(section)
        return section

    def save_figure(self, name, png, svg):
        if name in self.figure_names:
            raise ValueError(f"two figures named {name}")
        self.figure_names.append(name)
        for ext, data in (("png", png), ("svg", svg)):
            write_new_file(os.path.join(self.figure_dir, f"{name}.{ext}"), data)

    def write(self):
        contents = "".join(f'<li><a href="#{html.escape(s.key)}">{html.escape(s.title)}</a></li>'
                           for s in self.sections)
        body = "\n".join(s.html() for s in self.sections)
        page = PAGE.format(title=html.escape(self.title), subtitle=html.escape(self.subtitle),
                           kind=html.escape(self.kind), contents=contents, body=body, style=STYLE)
        path = os.path.join(self.out_dir, "report.html")
        write_new_file(path, page.encode("utf-8"))
        return path


def write_new_file(path, data):
    """Writes a file that must not exist yet (the report writes into a new folder of its own)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def figure_name(text):
    """A figure's file name from a text that may hold a partner's name: letters, digits, '_' and '-' only;
    a text that had others gets a short hash of itself, so two texts never share a name."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", text)[:80]
    if safe != text:
        safe += "_" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:8]
    return safe


def provenance(section, metadata, reader, extra=()):
    """The page's statement of what made it: scenario(s), seed, replications,
    version, git revision, dates and the command line (from metadata.json)."""
    folder_path = reader.path
    finished = datetime.datetime.fromtimestamp(reader.mtime("metadata.json"), datetime.timezone.utc)
    rows = []
    scenarios = metadata.get("scenarios")
    if scenarios:
        for i, s in enumerate(scenarios):
            role = ("baseline" if i == 0 else "alternative") if len(scenarios) > 1 else "scenario"
            overrides = ", ".join(s.get("overrides", [])) or "none"
            rows.append([role, f"{s['name']} (hash {s.get('scenario_hash', '?')}; from "
                         f"{', '.join(s.get('source_files', []))}; overrides: {overrides}; "
                         f"{s.get('start_date', '?')}, {s.get('horizon_months', '?')} months)"])
    rows.extend(extra)
    if "seed" in metadata:
        rows.append(["seed", str(metadata["seed"])])
    if "replications" in metadata:
        rows.append(["replications", str(metadata["replications"])])
    if "until_ci" in metadata:
        u = metadata["until_ci"]
        rows.append(["until-ci", json.dumps(u)])
    rows.append(["readmit version", f"{metadata.get('readmit_version', '?')} (git {metadata.get('git_revision', '?')}, "
                 f"{metadata.get('compiler', '?')})"])
    rows.append(["run finished", finished.strftime("%Y-%m-%d %H:%M UTC") +
                 f" ({fmt(metadata.get('wall_seconds', float('nan')), 3)} s on {metadata.get('threads', '?')} threads)"])
    rows.append(["report made", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")])
    rows.append(["command", metadata.get("command_line", "?")])
    rows.append(["folder", os.path.abspath(folder_path)])
    section.table(["", ""], rows, numeric_from=99, css_class="provenance")


STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; margin: 0;
       color: #1d1d1f; background: #fafafa; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 1.2rem 1.5rem 4rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0.4rem 0 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f5fa8; padding-bottom: 0.2rem; margin-top: 2.2rem; }
.subtitle { color: #555; margin-top: 0; }
nav ol { columns: 2; font-size: 0.92rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.86rem; max-width: 100%; }
table.data th, table.data td { border-bottom: 1px solid #ddd; padding: 0.22rem 0.6rem; text-align: left; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data thead th { background: #eef3f9; }
table.flags td:last-child { min-width: 24rem; }
table.provenance td { padding: 0.15rem 0.6rem; vertical-align: top; }
table.provenance td:first-child { color: #555; white-space: nowrap; }
table.provenance td:last-child { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.8rem;
                                 word-break: break-all; }
caption { caption-side: bottom; text-align: left; color: #555; font-size: 0.8rem; padding-top: 0.3rem; }
figure { margin: 1rem 0 1.6rem; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.85rem; color: #333; }
.files { color: #777; }
.note { color: #6b4e16; background: #fff7e0; padding: 0.4rem 0.7rem; border-left: 3px solid #e0b040; }
pre { background: #f4f4f4; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; }
.up { color: #b22222; } .down { color: #1f5fa8; }
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="readmit report">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main data-report-kind="{kind}">
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
<nav><ol>{contents}</ol></nav>
{body}
</main>
</body>
</html>
"""
