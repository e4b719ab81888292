"""The one reader of readmit's output folders, used by the results of
readmit.run/compare/experiment, by readmit.read, by the reports and by the
calibration and validation scripts.

FolderReader opens every file by descriptor without following a symbolic
link, reads only regular files, each of bounded size (decompressed sizes
included), and raises FolderError naming the file. RunFolder is the folder
of `readmit run` or `readmit compare` as DataFrames; MetricDictionary is its
metrics.csv (each metric's label, unit and headline place), which the
reports take their words from.
"""
import gzip
import io
import json
import os
import sqlite3
import stat

import pandas as pd

__all__ = ["FolderError", "FolderReader", "RunFolder", "MetricDictionary", "read_metadata", "month_dates",
           "split_yaml_documents"]


class FolderError(Exception):
    """The folder is not a complete, readable readmit output folder
    (`python3 -m readmit.report` exits 2)."""


# The largest file read whole, and the largest read in chunks (monthly.csv);
# decompressed sizes of .csv.gz files count.
MAX_READ_BYTES = 2 << 30
MAX_STREAM_BYTES = 64 << 30
MAX_JSON_BYTES = 64 << 20


class FolderReader:
    """The one reader of an output folder: every part of a path is
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


ASSUMPTION_COLUMNS = ["alternative", "baseline", "metric", "partner", "parameter", "origin", "low", "high",
                      "difference_at_low", "at_low_ci95_low", "at_low_ci95_high", "difference_at_high",
                      "at_high_ci95_low", "at_high_ci95_high"]
ROBUSTNESS_COLUMNS = ["alternative", "baseline", "metric", "partner", "difference", "ci95_low", "ci95_high", "flag",
                      "flipped_by", "moved_by", "pinned_by"]
VARIANCE_COLUMNS = ["scenario", "partner", "metric", "replications", "variance", "chance_variance",
                    "assumption_share"]


class RunFolder:
    """The output folder of `readmit run` or `readmit compare`, each file read
    lazily into a DataFrame with the columns of the CSV file. `required`: a
    missing file is a FolderError (the report's view), else None (a run
    writes only some files). `dated`: timeseries and events get a `date`
    column of datetimes (for plots)."""

    def __init__(self, reader: FolderReader, required: bool = True, dated: bool = True):
        self.reader = reader
        self.path = reader.path
        self.metadata = read_metadata(reader)
        self._required = required
        self._dated = dated
        self._cache = {}

    def has(self, name: str) -> bool:
        return self.reader.exists(name)

    def _frame(self, name, prepare=None):
        if name not in self._cache:
            frame = self.reader.read_csv(name, required=self._required)
            self._cache[name] = prepare(frame) if prepare and self._dated and frame is not None else frame
        return self._cache[name]

    @property
    def summary(self) -> pd.DataFrame:
        """summary.csv: each run total's mean, interval and quantiles."""
        return self._frame("summary.csv")

    @property
    def timeseries(self) -> pd.DataFrame:
        """timeseries.csv: each monthly metric's statistics by month."""
        def prepare(frame):
            frame["date"] = month_dates(frame["month"])
            return frame
        return self._frame("timeseries.csv", prepare)

    @property
    def replications(self) -> pd.DataFrame:
        """replications.csv: every replication's run totals."""
        return self._frame("replications.csv")

    @property
    def comparison(self) -> pd.DataFrame:
        """comparison.csv: paired differences from the baseline (compare only)."""
        return self._frame("comparison.csv")

    @property
    def assumptions(self):
        """assumptions.csv (compare --assumptions): per alternative, metric,
        partner and declared range, the paired difference at each end of the
        range with its interval; None when the folder has none."""
        return self._optional("assumptions.csv", ASSUMPTION_COLUMNS)

    @property
    def robustness(self):
        """robustness.csv (compare --assumptions): per alternative, metric
        and partner, the difference at the scenarios' own values, its flag
        (robust, sign-uncertain, fixed) and the ranges behind it; None when
        the folder has none."""
        return self._optional("robustness.csv", ROBUSTNESS_COLUMNS)

    @property
    def variance(self):
        """variance.csv (--uncertainty assumptions): per scenario, partner and
        headline total, its variance over the replications and the part chance
        makes; None when the folder has none."""
        return self._optional("variance.csv", VARIANCE_COLUMNS)

    def _optional(self, name, columns):
        """A file only some runs write, whatever `required` says; its columns checked."""
        if name not in self._cache:
            frame = self.reader.read_csv(name, required=False)
            if frame is not None:
                missing = [c for c in columns if c not in frame.columns]
                if missing:
                    raise FolderError(f"{self.reader._shown(name)}: not the file readmit writes: no column "
                                      f"{', '.join(missing)}")
            self._cache[name] = frame
        return self._cache[name]

    @property
    def events(self) -> pd.DataFrame:
        """events.csv: the diplomatic events of every replication."""
        def prepare(frame):
            frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
            return frame
        return self._frame("events.csv", prepare)

    @property
    def monthly(self) -> pd.DataFrame:
        """monthly.csv: every replication's monthly values (written with --monthly)."""
        return self._frame("monthly.csv")

    @property
    def metrics(self) -> "MetricDictionary":
        """metrics.csv: each metric's label, unit and headline place."""
        if "metrics" not in self._cache:
            self._cache["metrics"] = MetricDictionary.of(self.reader)
        return self._cache["metrics"]

    @property
    def files(self) -> list:
        """The files the command wrote (metadata.json)."""
        return list(self.metadata.get("files", []))

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


class MetricDictionary:
    """A folder's metrics.csv (the data dictionary `readmit metrics` prints):
    each metric's label and unit, and the run totals of the headline in the
    terminal table's order. Without one (a folder of an older readmit), a
    metric's label is its name in words and there is no unit."""

    def __init__(self, frame):
        self.rows = {}
        self.headline_names = []
        if frame is None:
            return
        for row in frame.to_dict("records"):
            self.rows[str(row["metric"])] = row
        if "headline" in frame:
            ranked = frame[pd.to_numeric(frame["headline"], errors="coerce").notna()]
            self.headline_names = [str(m) for m in ranked.sort_values("headline", key=pd.to_numeric)["metric"]]

    @classmethod
    def of(cls, reader, relative="metrics.csv"):
        """The dictionary of `relative` in the folder (None-safe: empty when missing)."""
        return cls(reader.read_csv(relative, required=False))

    def label(self, metric):
        row = self.rows.get(metric)
        return str(row["label"]) if row is not None and str(row.get("label", "")) else metric.replace("_", " ")

    def unit(self, metric):
        row = self.rows.get(metric)
        return str(row["unit"]) if row is not None and isinstance(row.get("unit"), str) else ""

    def headline(self):
        return list(self.headline_names)
