"""Shared by the report builders: reading an output folder, metric labels and
units, number formats, the banded time-series plot, and the page itself
(sections, figures saved as PNG and SVG and embedded, tables, provenance).

Every figure goes through Section.figure, which insists on a title, axis
labels and a caption, saves FIGURE.png and FIGURE.svg under DIR/figures/ and
embeds the PNG in report.html, so the page opens offline on its own.
"""
import base64
import datetime
import gzip
import hashlib
import html
import io
import json
import math
import os
import re
import sqlite3
import stat
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


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

# label, unit of every run total (summary.csv, replications.csv, comparison.csv).
TOTALS = {
    "removals": ("removals", "persons"),
    "median_days_request_to_removal": ("median days from first request to removal", "days"),
    "custody_releases": ("180-day releases", "persons"),
    "detention_cost_usd": ("detention cost", "USD"),
    "bed_days": ("detention bed-days", "bed-days"),
    "children_affected": ("children separated by a removal", "children"),
    "child_days_separated": ("child-days separated from a detained parent", "child-days"),
    "severe_outcomes": ("severe returnee outcomes", "persons"),
    "visa_refusals": ("visas refused", "applications"),
    "visa_applications": ("visa applications", "applications"),
    "requests": ("document requests", "requests"),
    "acceptances": ("requests accepted", "requests"),
    "denials": ("requests denied", "requests"),
    "relief": ("cases ended in relief", "persons"),
    "exemptions": ("persons exempted by an amendment", "persons"),
    "main_earners_lost": ("households that lost their main earner", "households"),
    "homelessness": ("returnees becoming homeless", "persons"),
    "sanction_decisions": ("sanction decisions", "decisions"),
    "amendment_requests": ("amendment requests", "requests"),
    "negotiation_agreements": ("amendments agreed", "agreements"),
    "months_under_sanction": ("months under sanction", "months; partner-months for all"),
    "redetentions": ("re-detentions", "persons"),
    "pending_docket_at_end": ("docket still pending at the end", "persons"),
}
# The terminal table's headline outcomes, in its order.
HEADLINE = ["removals", "median_days_request_to_removal", "custody_releases", "detention_cost_usd",
            "children_affected", "severe_outcomes", "months_under_sanction", "visa_refusals"]

# label, unit of the monthly metrics the report plots (docs/model.md).
MONTHLY = {
    "stock_prison": ("serving a sentence", "persons"),
    "stock_detained": ("detained, no request yet", "persons"),
    "stock_awaiting_document": ("detained, awaiting a document", "persons"),
    "stock_scheduled": ("detained, awaiting a flight", "persons"),
    "stock_supervised": ("released on supervision", "persons"),
    "stock_removed": ("removed (cumulative)", "persons"),
    "stock_relief": ("relief (cumulative)", "persons"),
    "stock_exempted": ("exempted by an amendment (cumulative)", "persons"),
    "stock_unremovable": ("refused as a category (cumulative)", "persons"),
    "stock_awaiting_interview": ("requests awaiting an interview", "requests"),
    "stock_document_queue": ("requests waiting for an officer", "requests"),
    "stock_in_decision": ("requests being decided", "requests"),
    "removals": ("removals", "persons per month"),
    "custody_releases": ("180-day releases", "persons per month"),
    "requests": ("document requests sent", "requests per month"),
    "acceptances": ("requests accepted", "requests per month"),
    "denials": ("requests denied", "requests per month"),
    "decision_days_p50": ("median decision time", "days"),
    "decision_days_p90": ("90th percentile decision time", "days"),
    "cooperation": ("partner cooperation", "index, 0-1"),
    "sanction_step": ("sanction step in force", "step"),
    "children_affected": ("children separated by a removal", "children per month"),
    "child_days_separated": ("child-days separated", "child-days per month"),
    "households_followed": ("households that followed", "households per month"),
    "main_earners_lost": ("main earners lost", "households per month"),
    "returnees_followed": ("returnees in follow-up", "persons"),
    "reintegration_admissions": ("reintegration admissions", "persons per month"),
    "severe_outcomes": ("severe returnee outcomes", "persons per month"),
    "homelessness": ("returnees becoming homeless", "persons per month"),
    "remigration_attempts": ("re-migration attempts", "persons per month"),
    "exemptions": ("persons exempted by an amendment", "persons per month"),
    "humanitarian_denials": ("humanitarian review denials", "requests per month"),
    "cap_deferrals": ("acceptances deferred by the cap", "requests per month"),
    "households_notified": ("removals with advance notice", "removals per month"),
    "visa_refusals": ("visas refused", "applications per month"),
    "detention_cost_usd": ("detention cost", "USD per month"),
    "amendments_in_force": ("amendments in force", "amendments"),
}


def window_of(metric):
    """(base metric, window words) of a window total such as removals_from_2018
    ('removals', 'from 2018'), removals_fy2019 ('removals', 'in FY2019') or
    removals_cy2019_partial ('removals', 'in 2019, partial'); None otherwise."""
    bases = [b for b in TOTALS if metric.startswith(b + "_")]
    if metric in TOTALS or not bases:
        return None
    base = max(bases, key=len)
    window = metric[len(base) + 1:]
    partial = window.endswith("_partial")
    window = window[:-len("_partial")] if partial else window
    if window[:2] in ("fy", "cy") and window[2:].isdigit():
        words = f"in FY{window[2:]}" if window[:2] == "fy" else f"in {window[2:]}"
    else:
        words = window.replace("_", " ")
        if not words.startswith(("from ", "in ", "during ", "before ", "after ", "until ")):
            words = "in " + words
    return base, words + (", partial" if partial else "")


def total_label(metric, short=False):
    """'removals (persons)', and for a window total such as removals_fy2019
    'removals in FY2019 (persons)'; short: the unit's first clause only (for axes)."""
    window = window_of(metric)
    base = window[0] if window else metric
    label, unit = TOTALS.get(base, (metric.replace("_", " "), ""))
    if window:
        label = f"{label} {window[1]}"
    if short:
        unit = unit.split(";")[0]
    return f"{label} ({unit})" if unit else label


def readable_axis(ax, axis="y"):
    """Tick labels as the tables write numbers (31.6M, not 3.16 with 1e7 above)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: fmt(value, 3)))


def total_unit(metric):
    window = window_of(metric)
    return TOTALS.get(window[0] if window else metric, ("", ""))[1]


def monthly_label(metric):
    label, unit = MONTHLY.get(metric, (metric.replace("_", " "), ""))
    return label, unit


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


# ---------------------------------------------------------------- reading


class FolderError(Exception):
    """The folder is not a complete, readable readmit output folder (report.py exits 2)."""


# The largest file the report reads whole, and the largest it reads in chunks
# (monthly.csv); decompressed sizes of .csv.gz files count.
MAX_READ_BYTES = 2 << 30
MAX_STREAM_BYTES = 64 << 30
MAX_JSON_BYTES = 64 << 20


class FolderReader:
    """The report's one reader of an output folder: every part of a path is
    opened by descriptor without following a symbolic link, only regular
    files are read (never a FIFO or a device: no open blocks), each at most
    a size limit, decompressed sizes included. A problem is a FolderError
    naming the file. A CSV file NAME.csv may be NAME.csv.gz (--compress)."""

    def __init__(self, path):
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as e:
            raise FolderError(f"{path}: cannot open the folder: {e.strerror}") from None

    def close(self):
        os.close(self.fd)

    def _shown(self, relative):
        return os.path.join(self.path, relative)

    def _open(self, relative, limit):
        """A descriptor of the regular file `relative` and its size; None when it is missing."""
        parts = relative.split("/")
        folder = self.fd
        opened = []
        try:
            for part in parts[:-1]:
                try:
                    folder = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                                     dir_fd=folder)
                except FileNotFoundError:
                    return None
                except OSError as e:
                    raise FolderError(f"{self._shown(relative)}: {part} is not a folder of its own "
                                      f"(a symbolic link?): {e.strerror}") from None
                opened.append(folder)
            try:
                fd = os.open(parts[-1], os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC,
                             dir_fd=folder)
            except FileNotFoundError:
                return None
            except OSError as e:
                what = "a symbolic link (not followed)" if e.errno == 40 else e.strerror
                raise FolderError(f"{self._shown(relative)}: expected a file readmit wrote, found {what}") from None
        finally:
            for fd_opened in opened:
                os.close(fd_opened)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a directory"
                    if stat.S_ISDIR(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode) or
                    stat.S_ISBLK(info.st_mode) else "not a regular file")
            raise FolderError(f"{self._shown(relative)}: expected a file readmit wrote, found {kind}")
        if info.st_size > limit:
            os.close(fd)
            raise FolderError(f"{self._shown(relative)}: expected at most {limit} bytes, found {info.st_size}")
        os.set_blocking(fd, True)
        return fd, info

    def exists(self, relative):
        """Whether the regular file `relative` is there (or, for a CSV file, its .csv.gz)."""
        for name in (relative, relative + ".gz") if relative.endswith(".csv") else (relative,):
            opened = self._open(name, MAX_STREAM_BYTES)
            if opened:
                os.close(opened[0])
                return True
        return False

    def mtime(self, relative):
        opened = self._open(relative, MAX_STREAM_BYTES)
        if not opened:
            raise FolderError(f"{self._shown(relative)}: missing")
        os.close(opened[0])
        return opened[1].st_mtime

    def _stream(self, relative, limit):
        """A binary stream of the file (decompressed for NAME.csv.gz), failing past `limit` bytes; None when missing."""
        compressed = False
        opened = self._open(relative, limit)
        if opened is None and relative.endswith(".csv"):
            opened = self._open(relative + ".gz", limit)
            compressed = opened is not None
        if opened is None:
            return None
        raw = os.fdopen(opened[0], "rb")
        shown = self._shown(relative + (".gz" if compressed else ""))
        inner = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        return io.BufferedReader(LimitedReader(inner, limit, shown, raw), 1 << 20)

    def read_bytes(self, relative, limit=MAX_READ_BYTES, required=True):
        stream = self._stream(relative, limit)
        if stream is None:
            if required:
                raise FolderError(f"{self._shown(relative)}: missing")
            return None
        with stream:
            return stream.read()

    def read_text(self, relative, limit=MAX_READ_BYTES):
        data = self.read_bytes(relative, limit)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise FolderError(f"{self._shown(relative)}: not UTF-8 text ({e.reason} at byte {e.start})") from None

    def read_json(self, relative):
        try:
            return json.loads(self.read_text(relative, MAX_JSON_BYTES))
        except json.JSONDecodeError as e:
            raise FolderError(f"{self._shown(relative)}: not JSON: {e.msg} (line {e.lineno})") from None

    def read_csv(self, relative, required=True, **options):
        """A readmit CSV: NA is the only missing value (a partner may be named 'nan')."""
        data = self.read_bytes(relative, required=required)
        if data is None:
            return None
        try:
            return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=["NA"], **options)
        except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
            raise FolderError(f"{self._shown(relative)}: not a readmit CSV file: {e}") from None

    def csv_chunks(self, relative, chunksize, **options):
        """The CSV file in chunks of rows (monthly.csv: too large to read whole)."""
        stream = self._stream(relative, MAX_STREAM_BYTES)
        if stream is None:
            raise FolderError(f"{self._shown(relative)}: missing")
        with stream:
            try:
                yield from pd.read_csv(stream, keep_default_na=False, na_values=["NA"], chunksize=chunksize, **options)
            except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
                raise FolderError(f"{self._shown(relative)}: not a readmit CSV file: {e}") from None

    def database(self, relative):
        """The SQLite database, read whole through the bounded reader into memory (no path, no URI: any
        folder name works, and nothing is ever written beside it); None when missing."""
        data = self.read_bytes(relative, required=False)
        if data is None:
            return None
        connection = sqlite3.connect(":memory:")
        try:
            connection.deserialize(data)
        except sqlite3.Error as e:
            connection.close()
            raise FolderError(f"{self._shown(relative)}: not a database: {e}") from None
        return connection


class LimitedReader(io.RawIOBase):
    """A binary stream that fails past `limit` bytes (a file that grows, or a gzip bomb)."""

    def __init__(self, inner, limit, shown, raw):
        self.inner, self.limit, self.left, self.shown, self.raw = inner, limit, limit, shown, raw

    def readable(self):
        return True

    def readinto(self, buffer):
        try:
            data = self.inner.read(min(len(buffer), self.left + 1))
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            raise FolderError(f"{self.shown}: cannot read: {e}") from None
        if len(data) > self.left:
            raise FolderError(f"{self.shown}: larger than {self.limit} bytes (decompressed), or growing")
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            self.inner.close()
            self.raw.close()
        super().close()


def month_dates(months):
    """YYYY-MM labels as the first day of the month."""
    return pd.to_datetime(months, format="%Y-%m")


def read_metadata(reader):
    """metadata.json: a JSON object naming the command that wrote the folder."""
    metadata = reader.read_json("metadata.json")
    if not isinstance(metadata, dict):
        raise FolderError(f"{reader._shown('metadata.json')}: expected a JSON object, found {type(metadata).__name__}")
    return metadata


class RunFolder:
    """The output folder of `readmit run` or `readmit compare`, read lazily
    through its FolderReader."""

    def __init__(self, reader):
        self.reader = reader
        self.path = reader.path
        self.metadata = read_metadata(reader)
        self._cache = {}

    def has(self, name):
        return self.reader.exists(name)

    def _frame(self, name, prepare=None):
        if name not in self._cache:
            frame = self.reader.read_csv(name)
            self._cache[name] = prepare(frame) if prepare else frame
        return self._cache[name]

    @property
    def summary(self):
        return self._frame("summary.csv")

    @property
    def timeseries(self):
        def prepare(frame):
            frame["date"] = month_dates(frame["month"])
            return frame
        return self._frame("timeseries.csv", prepare)

    @property
    def replications(self):
        return self._frame("replications.csv")

    @property
    def comparison(self):
        return self._frame("comparison.csv")

    @property
    def events(self):
        def prepare(frame):
            frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
            return frame
        return self._frame("events.csv", prepare)

    @property
    def scenario_names(self):
        return [s["name"] for s in self.metadata.get("scenarios", [])] or [self.metadata["scenario"]]

    @property
    def partners(self):
        """Partner names in file order (without 'all')."""
        names = self.summary.loc[self.summary["partner"] != "all", "partner"]
        return list(dict.fromkeys(names))

    def resolved_documents(self):
        """The resolved scenario(s) as text, one per scenario, in order."""
        return split_yaml_documents(self.reader.read_text("scenario.resolved.yaml"))

    def series(self, scenario, partner, metric):
        """One monthly series' statistics, by month; None when absent."""
        frame = self.timeseries
        rows = frame[(frame["scenario"] == scenario) & (frame["partner"] == partner) & (frame["metric"] == metric)]
        return rows.sort_values("month") if len(rows) else None

    def total(self, scenario, partner, metric):
        frame = self.summary
        rows = frame[(frame["scenario"] == scenario) & (frame["partner"] == partner) & (frame["metric"] == metric)]
        return rows.iloc[0] if len(rows) else None


def split_yaml_documents(text):
    """Splits '---'-separated YAML documents (readmit writes one per scenario)."""
    documents, current = [], []
    for line in text.splitlines(keepends=True):
        if line.rstrip() == "---":
            documents.append("".join(current))
            current = []
        else:
            current.append(line)
    documents.append("".join(current))
    return [d for d in documents if d.strip()]


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

    def table(self, header, rows, caption=None, numeric_from=1, css_class="data", collapsed=None, break_at_dots=()):
        """rows: lists of cells (text); columns from numeric_from on are
        right-aligned. collapsed: a summary line; the table then opens on a
        click. break_at_dots: columns (of parameter paths) that may wrap after a dot."""
        parts = [f"<details><summary>{html.escape(collapsed)}</summary>"] if collapsed else []
        parts.append(f'<table class="{css_class}">')
        if caption:
            parts.append(f"<caption>{html.escape(caption)}</caption>")
        parts.append("<thead><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr></thead>")
        parts.append("<tbody>")
        for row in rows:
            cells = []
            for i, cell in enumerate(row):
                klass = ' class="num"' if i >= numeric_from else ""
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
