"""readmit from Python: load scenarios, run and compare them in-process, read
the results as pandas DataFrames, write reports.

    import readmit
    base = readmit.load("scenarios/cambodia_2017.yaml")
    more = base.with_({"partners.cambodia.agreement.document_officers": 60}, name="cambodia_60_officers")
    results = readmit.compare(base, more, replications=200)
    results.comparison.query("partner == 'cambodia' and metric == 'removals'")
    results.report("results/officers")

Runs go through the same library calls as `readmit run` and `readmit
compare` (the GIL is released while they run): the files a Results holds,
and writes with save(), are byte for byte those of the command line for the
same scenarios, overrides, seed and replication count (metadata.json aside,
which records the wall time and the call).
"""
import io
import json
import math
import os
import tempfile

import pandas as pd

from . import _core

__all__ = ["Scenario", "ScenarioError", "Results", "load", "run", "compare", "schema", "metrics", "__version__"]
__version__ = _core.version
git_revision = _core.git_revision


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


class Scenario:
    """A validated scenario file with --set overrides. Immutable: with_()
    returns a modified copy."""

    def __init__(self, path, overrides=()):
        self.path = os.fspath(path)
        self.overrides = list(overrides)
        self._info = _core.load(self.path, self.overrides)

    @property
    def name(self):
        return self._info["name"]

    @property
    def partners(self):
        return list(self._info["partners"])

    @property
    def seed(self):
        return self._info["seed"]

    @property
    def replications(self):
        """The scenario's own replication count (run's default)."""
        return self._info["replications"]

    @property
    def source_files(self):
        return list(self._info["source_files"])

    def show(self):
        """The resolved scenario as YAML (every default filled in), as `readmit show`."""
        return self._info["resolved_yaml"]

    def with_(self, changes=None, /, **overrides):
        """A copy with more overrides, applied after this one's:
            s.with_({"partners.cambodia.agreement.document_officers": 60})
            s.with_(horizon_months=24, name="short")
            s.with_(partners__cambodia__agreement__document_officers=60)   # '__' stands for '.'
        Values are Python numbers, booleans, lists and dicts, or YAML text
        as on the command line. Raises ScenarioError like `readmit --set`."""
        texts = _override_texts(changes)
        texts += _override_texts({key.replace("__", "."): value for key, value in overrides.items()})
        return Scenario(self.path, self.overrides + texts)

    def __repr__(self):
        extra = f", overrides={self.overrides!r}" if self.overrides else ""
        return f"readmit.Scenario({self.name!r}, path={self.path!r}{extra})"


def load(path, set=None):
    """Loads and validates a scenario file. `set`: overrides, a dict
    {"key.path": value} or a list of "key.path=value" texts (--set).
    Raises ScenarioError naming file, line, column and key path."""
    return Scenario(path, _override_texts(set))


# The largest output file a Results reads into a DataFrame.
_MAX_FRAME_BYTES = 8 << 30


def _read_bytes(path, max_bytes=_MAX_FRAME_BYTES):
    """An output file through readmit's bounded reader (a regular file, no link followed, bounded size)."""
    return _core.read_output(os.fspath(path), max_bytes)


def _read(path):
    return pd.read_csv(io.BytesIO(_read_bytes(path)), keep_default_na=False, na_values=["NA"])


class Results:
    """The outputs of a run or a comparison, held in a temporary folder until
    the object goes away. DataFrames have the columns of the CSV files."""

    def __init__(self, directory, keeper, outcome):
        self.path = directory
        self._keeper = keeper
        self.table = outcome["summary"]
        self.wall_seconds = outcome["wall_seconds"]
        self.metadata = json.loads(_read_bytes(os.path.join(directory, "metadata.json"), 64 << 20))
        self._frames = {}

    def _frame(self, name):
        if name not in self._frames:
            path = os.path.join(self.path, name)
            self._frames[name] = _read(path) if os.path.exists(path) else None
        return self._frames[name]

    @property
    def summary(self):
        return self._frame("summary.csv")

    @property
    def timeseries(self):
        return self._frame("timeseries.csv")

    @property
    def replications(self):
        return self._frame("replications.csv")

    @property
    def comparison(self):
        """Paired differences from the baseline (compare only, else None)."""
        return self._frame("comparison.csv")

    @property
    def events(self):
        return self._frame("events.csv")

    @property
    def monthly(self):
        """Every replication's monthly values (only with monthly=True, else None)."""
        return self._frame("monthly.csv")

    @property
    def scenarios(self):
        return [s["name"] for s in self.metadata["scenarios"]]

    @property
    def files(self):
        return list(self.metadata["files"])

    def save(self, directory, force=False):
        """Copies every output file into `directory` (created if missing),
        byte for byte, as `readmit run --out directory` writes it: the folder
        is locked meanwhile, a folder readmit did not create is refused unless
        force=True, files go in atomically with metadata.json last, and only
        readmit's files of an earlier run there are replaced (OSError
        otherwise). Returns the path."""
        _core.save(self.path, os.fspath(directory), bool(force),
                   f"python: readmit.Results.save({os.fspath(directory)!r})")
        return directory

    def report(self, directory, force=False):
        """Saves the results into `directory` and writes report.html and
        figures/ there (as `readmit report`); returns the page's path."""
        self.save(directory, force)
        return _core.write_report(os.fspath(directory), bool(force))

    def __repr__(self):
        return f"readmit.Results({', '.join(self.scenarios)}; {self.metadata['replications']} replications)\n" + self.table


def _call_text(function, scenarios, options):
    def scenario_text(s):
        return f"load({s.path!r}" + (f", set={s.overrides!r})" if s.overrides else ")")
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
    outcome = _core.run([s.path for s in scenarios], [s.overrides for s in scenarios], replications, seed, threads,
                        keeper.name, _call_text(function, scenarios, options), bool(monthly), until_ci,
                        max_replications)
    return Results(keeper.name, keeper, outcome)


def run(scenario, replications=None, seed=None, threads=None, monthly=False, until_ci=None, max_replications=10000):
    """`readmit run` in-process. replications: default the scenario's own;
    seed: default the scenario's; threads: default every core (the results
    never depend on it); until_ci: "METRIC=HALF_WIDTH" or
    "PARTNER:METRIC=HALF_WIDTH" as on the command line. Each is checked as
    the command line checks it (ValueError: replications and
    max_replications whole numbers in [1, 1000000] and [2, 1000000], threads
    in [1, 4096], seed in [0, 2^53))."""
    return _run("run", [scenario], replications, seed, threads, monthly, until_ci, max_replications)


def compare(base, *alternatives, replications=None, seed=None, threads=None, monthly=False, until_ci=None,
            max_replications=10000):
    """`readmit compare` in-process: every scenario runs with the baseline's
    seed (or `seed`), so replication k of each shares its random numbers
    (common random numbers) and `comparison` holds paired differences."""
    if not alternatives:
        raise ValueError("compare: give a baseline and at least one alternative")
    return _run("compare", [base, *alternatives], replications, seed, threads, monthly, until_ci, max_replications)


def schema():
    """Every scenario parameter: path, expected, unit, default, required,
    min, max, choices, timeline (settable by the timeline), meaning, source."""
    return pd.DataFrame(_core.schema())


def metrics():
    """Every output metric, as metrics.csv lists it: metric, table (run_total
    or monthly), kind, unit, label, meaning, drivers, windowed; names that
    depend on a scenario are patterns (visa_refusals.CATEGORY, METRIC_WINDOW)."""
    return pd.DataFrame(_core.metrics())
