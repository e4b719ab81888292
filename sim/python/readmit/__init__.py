"""readmit from Python: load scenarios and edit them, run and compare them
in-process, run experiments and sweeps, read any output folder as pandas
DataFrames, write reports.

    import readmit
    base = readmit.load("scenarios/cambodia_2017.yaml")
    more = base.with_({"partners.cambodia.agreement.document_officers": 60}, name="cambodia_60_officers")
    agreed = base.with_(overlays=["scenarios/amendments/family_unity.yaml"], name="family_unity")
    results = readmit.compare(base, more, agreed, replications=200)
    results.comparison.query("partner == 'cambodia' and metric == 'removals'")
    results.report("results/officers")

    tables = readmit.experiment("scenarios/experiments/cambodia_policies.yaml", out="results/policies")
    tables.summary, tables.differences, tables.sensitivity   # sweep=True for `readmit sweep`

    folder = readmit.read("results/cambodia_2017")        # any output folder
    python3 -m readmit.report results/cambodia_2017 --into NEW   # readmit.report

The functions:
  load(path, set=None, overlays=())  a validated Scenario; Scenario.with_()
                                     adds overrides, amendment overlays, and
                                     drops, replaces or adds timeline entries
  run(scenario, ...)                 `readmit run` in-process: Results
  compare(base, *alternatives, ...)  `readmit compare` in-process: Results
  experiment(file, out=None, ...)    `readmit experiment` (or sweep): its
                                     tables as `readmit experiment` writes them
  read(path)                         an output folder of any command
  write_report(path)                 report.html and figures/ of any output
                                     folder, as `readmit report` (also
                                     Results.report)
  readmit.report                     the report's module: render(path, into),
                                     `python3 -m readmit.report`
  schema(), metrics()                the parameter table and data dictionary

Runs go through the same library calls as `readmit run`, `compare` and
`experiment` (the GIL is released while they run): the files a Results
holds, and writes with save(), are byte for byte those of the command line
for the same scenarios, overrides, seed and replication count (metadata.json
aside, which records the wall time and the call). Every output folder is
read by one reader (readmit.folder): no symbolic link followed, only regular
files, each of bounded size.
"""
import datetime
import importlib
import json
import math
import os
import tempfile
from typing import Iterable, Optional, Sequence, Union

import pandas as pd

from .folder import FolderError, FolderReader, RunFolder, read_metadata

__all__ = ["Scenario", "ScenarioError", "Results", "ExperimentTables", "FolderError", "load", "run", "compare",
           "experiment", "read", "write_report", "report", "schema", "metrics", "__version__", "git_revision"]

PathLike = Union[str, "os.PathLike[str]"]


def _native():
    """The C++ module, imported on first use: the reports (readmit.report,
    readmit.folder) need only pandas and matplotlib, and run where the C++
    module was not built."""
    try:
        return importlib.import_module("._core", __name__)
    except ImportError as e:
        raise ImportError(f"readmit's C++ module is not built ({e}): build with the Python module "
                          "(scripts/setup.sh installs python3-dev and pybind11-dev), then PYTHONPATH=build/release/python"
                          ) from None


def __getattr__(name):
    # The version and revision are the C++ library's, read when asked for.
    if name == "__version__":
        return _native().version
    if name == "git_revision":
        return _native().git_revision
    if name == "report":
        return importlib.import_module(".report", __name__)
    raise AttributeError(f"module 'readmit' has no attribute {name!r}")


class ScenarioError(ValueError):
    """An invalid scenario or override. `diagnostics` lists every problem
    found (dicts with file, line, column, key_path, message, text); file,
    line, column, key_path and message are those of the first."""

    def __init__(self, message, diagnostics):
        super().__init__("\n".join(d["text"] for d in diagnostics) or message)
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else {}
        self.file = first.get("file", "")
        self.line = first.get("line", 0)
        self.column = first.get("column", 0)
        self.key_path = first.get("key_path", "")
        self.message = first.get("message", message)


def _yaml_text(value):
    """An override value as the YAML text --set takes. Strings are YAML text
    already (as on the command line: "[family_unity]", "2017-01-01")."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        if math.isnan(value):
            raise ValueError("NaN is not a scenario value")
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value)  # JSON is YAML
    raise TypeError(f"cannot pass a {type(value).__name__} as a scenario value: {value!r}")


def _override_texts(changes):
    """'path=value' texts from a dict {dotted.path: value} or a list of 'path=value'."""
    if changes is None:
        return []
    if isinstance(changes, dict):
        return [f"{path}={_yaml_text(value)}" for path, value in changes.items()]
    if isinstance(changes, (list, tuple)):
        for text in changes:
            if not isinstance(text, str) or "=" not in text:
                raise ValueError(f"expected 'key.path=value', found {text!r}")
        return list(changes)
    raise TypeError("overrides are a dict {'key.path': value} or a list of 'key.path=value' texts")


def _plain(value):
    """A value of the resolved YAML as JSON takes it (dates as YYYY-MM-DD)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _timeline_override(resolved_yaml: str, drop: Iterable[str], entries: Sequence[dict]) -> str:
    """The override `timeline=[...]` of the resolved timeline with the
    entries of ids `drop` removed, each of `entries` replacing the entry of
    its id (or added, when none has it); ValueError for an id not there."""
    import yaml  # python3-yaml; only scenario editing of the timeline needs it

    timeline = _plain(yaml.safe_load(resolved_yaml).get("timeline") or [])
    ids = [entry.get("id") for entry in timeline]
    for name in drop:
        if name not in ids:
            raise ValueError(f"timeline_drop: no timeline entry has id {name!r}; the ids are: "
                             f"{', '.join(str(i) for i in ids if i) or 'none'}")
    kept = [entry for entry in timeline if entry.get("id") not in set(drop)]
    for entry in entries:
        if not isinstance(entry, dict):
            raise TypeError(f"a timeline entry is a dict {{date: ..., id: ..., set: {{...}}}}, found {entry!r}")
        same = [i for i, old in enumerate(kept) if entry.get("id") is not None and old.get("id") == entry.get("id")]
        if same:
            kept[same[0]] = _plain(entry)
        else:
            kept.append(_plain(entry))
    return "timeline=" + json.dumps(kept)


class Scenario:
    """A validated scenario file, with amendment overlays merged onto it and
    --set overrides applied. Immutable: with_() returns a modified copy."""

    def __init__(self, path: PathLike, overrides: Sequence[str] = (), overlays: Sequence[PathLike] = ()):
        self.path = os.fspath(path)
        self.overlays = [os.fspath(o) for o in overlays]
        self.overrides = list(overrides)
        self._info = _native().load(self.path, self.overlays, self.overrides)

    @property
    def name(self) -> str:
        return self._info["name"]

    @property
    def partners(self) -> list:
        return list(self._info["partners"])

    @property
    def seed(self) -> int:
        return self._info["seed"]

    @property
    def replications(self) -> int:
        """The scenario's own replication count (run's default)."""
        return self._info["replications"]

    @property
    def source_files(self) -> list:
        return list(self._info["source_files"])

    def show(self) -> str:
        """The resolved scenario as YAML (every default filled in), as `readmit show`."""
        return self._info["resolved_yaml"]

    def with_(self, changes=None, /, *, overlays: Sequence[PathLike] = (), timeline_drop: Iterable[str] = (),
              timeline: Sequence[dict] = (), **overrides) -> "Scenario":
        """A copy with more changes, applied after this one's:
            s.with_({"partners.cambodia.agreement.document_officers": 60})
            s.with_(horizon_months=24, name="short")
            s.with_(partners__cambodia__agreement__document_officers=60)   # '__' stands for '.'
            s.with_(overlays=["scenarios/amendments/family_unity.yaml"])   # an amendment overlay
            s.with_(timeline_drop=["eo_13768"])                            # drop entries by id
            s.with_(timeline=[{"id": "eo_13768", "date": "2018-01-25", "set": {...}}])  # replace by id, or add
        Values are Python numbers, booleans, lists and dicts, or YAML text
        as on the command line. Overlays are merged onto the file as a
        scenario's `amendments:` are, before any override. Raises
        ScenarioError like `readmit --set`."""
        texts = _override_texts(changes)
        texts += _override_texts({key.replace("__", "."): value for key, value in overrides.items()})
        merged = Scenario(self.path, self.overrides + texts, self.overlays + [os.fspath(o) for o in overlays])
        drop = list(timeline_drop)
        if not drop and not timeline:
            return merged
        return Scenario(self.path, merged.overrides + [_timeline_override(merged.show(), drop, list(timeline))],
                        merged.overlays)

    def __repr__(self):
        extra = f", overlays={self.overlays!r}" if self.overlays else ""
        extra += f", overrides={self.overrides!r}" if self.overrides else ""
        return f"readmit.Scenario({self.name!r}, path={self.path!r}{extra})"


def load(path: PathLike, set=None, overlays: Sequence[PathLike] = ()) -> Scenario:
    """Loads and validates a scenario file. `set`: overrides, a dict
    {"key.path": value} or a list of "key.path=value" texts (--set);
    `overlays`: amendment overlay files merged onto it first. Raises
    ScenarioError naming file, line, column and key path."""
    return Scenario(path, _override_texts(set), overlays)


class Results(RunFolder):
    """The outputs of a run or a comparison, held in a temporary folder until
    the object goes away. DataFrames have the columns of the CSV files (None
    for a file the run did not write); read through readmit.folder."""

    def __init__(self, directory: str, keeper, outcome: dict):
        super().__init__(FolderReader(directory), required=False, dated=False)
        self._keeper = keeper
        self.table = outcome["summary"]
        self.wall_seconds = outcome["wall_seconds"]

    @property
    def scenarios(self) -> list:
        return [s["name"] for s in self.metadata["scenarios"]]

    def save(self, directory: PathLike, force: bool = False) -> PathLike:
        """Copies every output file into `directory` (created if missing),
        byte for byte, as `readmit run --out directory` writes it: the folder
        is locked meanwhile, a folder readmit did not create is refused unless
        force=True, files go in atomically with metadata.json last, and only
        readmit's files of an earlier run there are replaced (OSError
        otherwise). Returns the path."""
        _native().save(self.path, os.fspath(directory), bool(force),
                       f"python: readmit.Results.save({os.fspath(directory)!r})")
        return directory

    def report(self, directory: PathLike, force: bool = False) -> str:
        """Saves the results into `directory` and writes report.html and
        figures/ there (as `readmit report`, with readmit.report in this
        process); returns the page's path."""
        self.save(directory, force)
        return write_report(directory, force)

    def __repr__(self):
        return f"readmit.Results({', '.join(self.scenarios)}; {self.metadata['replications']} replications)\n" + self.table


def write_report(directory: PathLike, force: bool = False) -> str:
    """Writes DIRECTORY/report.html and DIRECTORY/figures/ for an output
    folder of any command, as `readmit report DIRECTORY`: the folder is held
    meanwhile and the page published atomically; readmit.report renders it in
    this process. Returns the page's path; ValueError for a folder that is
    not a complete output folder."""
    from . import report as report_module

    return _native().write_report(os.fspath(directory), bool(force), report_module.render)


def _call_text(function, scenarios, options):
    def scenario_text(s):
        extra = f", set={s.overrides!r}" if s.overrides else ""
        extra += f", overlays={s.overlays!r}" if s.overlays else ""
        return f"load({s.path!r}{extra})"
    args = [scenario_text(s) for s in scenarios]
    args += [f"{k}={v!r}" for k, v in options.items() if v is not None]
    return f"python: readmit.{function}({', '.join(args)})"


def _run(function, scenarios, replications, seed, threads, monthly, until_ci, max_replications):
    for s in scenarios:
        if not isinstance(s, Scenario):
            raise TypeError(f"expected a readmit.Scenario (readmit.load(path)), found {type(s).__name__}")
    names = [s.name for s in scenarios]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ValueError(f"compare: scenarios {names.index(name) + 1} and {i + 1} are both named {name!r}; "
                             f"give one its own name, e.g. scenario.with_(name={name + '_alt'!r})")
    keeper = tempfile.TemporaryDirectory(prefix="readmit-")
    options = {"replications": replications, "seed": seed, "threads": threads, "until_ci": until_ci}
    # The options are checked by the library, with the command line's limits.
    outcome = _native().run([s.path for s in scenarios], [s.overlays for s in scenarios],
                            [s.overrides for s in scenarios], replications, seed, threads, keeper.name,
                            _call_text(function, scenarios, options), bool(monthly), until_ci, max_replications)
    return Results(keeper.name, keeper, outcome)


def run(scenario: Scenario, replications: Optional[int] = None, seed: Optional[int] = None,
        threads: Optional[int] = None, monthly: bool = False, until_ci: Optional[str] = None,
        max_replications: int = 10000) -> Results:
    """`readmit run` in-process. replications: default the scenario's own;
    seed: default the scenario's; threads: default every core (the results
    never depend on it); until_ci: "METRIC=HALF_WIDTH" or
    "PARTNER:METRIC=HALF_WIDTH" as on the command line. Each is checked as
    the command line checks it (ValueError: replications and
    max_replications whole numbers in [1, 1000000] and [2, 1000000], threads
    in [1, 4096], seed in [0, 2^53))."""
    return _run("run", [scenario], replications, seed, threads, monthly, until_ci, max_replications)


def compare(base: Scenario, *alternatives: Scenario, replications: Optional[int] = None, seed: Optional[int] = None,
            threads: Optional[int] = None, monthly: bool = False, until_ci: Optional[str] = None,
            max_replications: int = 10000) -> Results:
    """`readmit compare` in-process: every scenario runs with the baseline's
    seed (or `seed`), so replication k of each shares its random numbers
    (common random numbers) and `comparison` holds paired differences."""
    if not alternatives:
        raise ValueError("compare: give a baseline and at least one alternative")
    return _run("compare", [base, *alternatives], replications, seed, threads, monthly, until_ci, max_replications)


class ExperimentTables:
    """The output folder of `readmit experiment` or `readmit sweep`, its
    tables as DataFrames with the columns of its CSV files (None for a table
    the command did not write): points (points.csv), summary (summary.csv, a
    sweep's sweep.csv), differences, sensitivity, prim_boxes; metadata."""

    def __init__(self, directory: PathLike):
        self.path = os.fspath(directory)
        reader = FolderReader(self.path)
        try:
            self.metadata = read_metadata(reader)
            self.kind = self.metadata.get("command")
            if self.kind not in ("experiment", "sweep"):
                raise FolderError(f"{self.path}: a folder of `readmit {self.kind}`, not of an experiment or sweep")
            listed = self.metadata.get("files")

            def table(name):
                # A table the last command did not list is an earlier run's (a shard's run leaves it).
                if listed is not None and name not in listed:
                    return None
                return reader.read_csv(name, required=False)

            self.points = reader.read_csv("points.csv")
            self.summary = reader.read_csv("sweep.csv" if self.kind == "sweep" else "summary.csv")
            self.differences = table("differences.csv")
            self.sensitivity = table("sensitivity.csv")
            self.prim_boxes = table("prim_boxes.csv")
        finally:
            reader.close()

    def __repr__(self):
        return (f"readmit.ExperimentTables({self.kind} {self.path!r}: {len(self.points)} points, "
                f"{len(self.summary)} outcome rows)")


def experiment(file: PathLike, out: Optional[PathLike] = None, replications: Optional[int] = None,
               threads: Optional[int] = None, sweep: bool = False, force: bool = False) -> ExperimentTables:
    """`readmit experiment FILE --out OUT` in-process (sweep=True: `readmit
    sweep`, whose table is sweep.csv). OUT defaults to a temporary folder
    kept as long as the tables; completed points there are reused, as on the
    command line. Returns its tables as the command writes them. Raises
    ScenarioError for a bad file, naming file, line, column and key path."""
    path = os.fspath(file)
    command = "sweep" if sweep else "experiment"
    keeper = None
    if out is None:
        keeper = tempfile.TemporaryDirectory(prefix="readmit-")
        out = keeper.name
    call = f"python: readmit.experiment({path!r}, out={os.fspath(out)!r})"
    outcome = _native().experiment(path, command, os.fspath(out), replications, threads, bool(force), call)
    tables = ExperimentTables(outcome["out_dir"])
    tables._keeper = keeper
    return tables


def read(path: PathLike) -> Union[RunFolder, ExperimentTables]:
    """An output folder of any command, read through the one reader: a
    RunFolder for run and compare (summary, timeseries, replications,
    comparison, events, monthly, metrics; assumptions, robustness and
    variance after --assumptions or --uncertainty assumptions),
    ExperimentTables for experiment and sweep. FolderError when it is not a
    complete output folder."""
    reader = FolderReader(os.fspath(path))
    kind = read_metadata(reader).get("command")
    if kind in ("experiment", "sweep"):
        reader.close()
        return ExperimentTables(path)
    return RunFolder(reader, required=False, dated=False)


def schema() -> pd.DataFrame:
    """Every scenario parameter: path, expected, unit, default, required,
    min, max, choices, timeline (settable by the timeline), meaning, source."""
    return pd.DataFrame(_native().schema())


def metrics() -> pd.DataFrame:
    """Every output metric, as metrics.csv lists it: metric, table (run_total
    or monthly), kind, unit, label, meaning, drivers, windowed, headline;
    names that depend on a scenario are patterns (visa_refusals.CATEGORY,
    METRIC_WINDOW)."""
    return pd.DataFrame(_native().metrics())
