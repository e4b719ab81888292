"""readmit.report: report.html and figures/ (PNG and SVG) for an output folder.

    python3 -m readmit.report DIR --into NEW_FOLDER [--quiet]
    readmit.report.render(DIR, NEW_FOLDER)

DIR is the output folder of `readmit run`, `compare`, `sweep` or
`experiment` (readmit.run, compare or experiment); its metadata.json says
which (`command`). The page is self-contained (figures embedded as PNG),
opens offline, and states the scenarios, seed, replications, version, git
revision, dates and the command that made the results. Labels, units and
the headline come from the folder's metrics.csv.

NEW_FOLDER gets the page: `readmit report DIR` (and Results.report) hold DIR
as every command holds its output folder, have the page rendered into a
private folder inside it, and publish the page and figures in place of the
earlier report's. Rendering never writes into DIR, and reads it only through
readmit.folder.FolderReader (no symbolic link followed, only regular files,
each of bounded size).

Each kind of folder has a builder module (run, compare, sweep, experiment)
with a `build(report, folder)` function; sweeps and experiments share points
and analysis; runs and comparisons share assumptions (what an answer rests
on: the files of --assumptions and --uncertainty assumptions). A new kind
adds a module and a line to BUILDERS.
Exit codes of the command: 0 written, 1 the report could not be written, 2
DIR is not a complete readmit output folder.
"""
import argparse
import os
import sys

from ..folder import FolderError, FolderReader, RunFolder, read_metadata
from . import compare as report_compare
from . import experiment as report_experiment
from . import run as report_run
from . import sweep as report_sweep
from .common import Report, use_dictionary
from .points import PointsFolder

__all__ = ["render", "main", "FolderError"]

BUILDERS = {
    "run": (report_run.build, RunFolder),
    "compare": (report_compare.build, RunFolder),
    "sweep": (report_sweep.build, PointsFolder),
    "experiment": (report_experiment.build, PointsFolder),
}


def kind_of(reader: FolderReader) -> str:
    """The command that wrote the folder (metadata.json's `command`)."""
    if not reader.exists("metadata.json"):
        raise FolderError(f"{reader.path}: no metadata.json (not a readmit output folder, or an incomplete one: "
                          "metadata.json is written last)")
    command = read_metadata(reader).get("command")
    if not isinstance(command, str) or command not in BUILDERS:
        raise FolderError(f"{os.path.join(reader.path, 'metadata.json')}: unknown command {str(command)[:60]!r}; a "
                          f"report is made for {', '.join(BUILDERS)}")
    return command


def title_of(kind, folder):
    if kind == "run":
        return f"readmit run: {folder.scenario_names[0]}", "What happened, and how sure we are"
    if kind == "compare":
        names = folder.scenario_names
        return (f"readmit compare: {' vs '.join(names[1:])} against {names[0]}",
                "What the policy change does, and how sure we are")
    if kind == "experiment":
        return (f"readmit experiment: {folder.name}",
                "Which policy does better across what we do not know, and which assumptions drive the answer")
    return f"readmit sweep: {folder.name}", "How the outcomes move with the swept parameters"


def render(directory: str, into: str) -> tuple:
    """Writes report.html and figures/ of the output folder `directory` into
    the new or empty folder `into`; returns (the page's path, the number of
    figures). Raises FolderError when `directory` is not a complete output
    folder."""
    os.makedirs(into, exist_ok=True)
    if os.listdir(into):
        raise FolderError(f"{into}: the report must go into a new or empty folder")
    reader = FolderReader(directory)
    try:
        kind = kind_of(reader)
        build, folder_type = BUILDERS[kind]
        folder = folder_type(reader)
        use_dictionary(folder.metrics)
        title, subtitle = title_of(kind, folder)
        report = Report(into, kind, title, subtitle)
        build(report, folder)
        return report.write(), len(report.figure_names)
    finally:
        reader.close()


def printable(text, limit=500):
    """A message as a terminal may show it: control characters escaped, at most `limit` characters."""
    text = "".join(c if c.isprintable() or c == "\n" else f"\\x{ord(c):02x}" for c in str(text))
    return text if len(text) <= limit else text[:limit] + "..."


def main(argv=None) -> int:
    """`python3 -m readmit.report DIR --into NEW_FOLDER [--quiet]`; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python3 -m readmit.report", description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="output folder of readmit run, compare, sweep or experiment")
    parser.add_argument("--into", required=True,
                        help="a new folder for report.html and figures/ (readmit report DIR publishes them into DIR)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.add_argument("--published-into", metavar="FOLDER",
                        help="the folder the page is moved into afterwards, for the message (readmit report passes "
                             "DIR); by default the page is where --into put it")
    args = parser.parse_args(argv)
    try:
        path, figures = render(args.directory, args.into)
    except FolderError as e:
        print(f"report: error: {printable(e)}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 -- a corrupt folder can fail anywhere; never a traceback
        print(f"report: error: {printable(args.directory)}: cannot make the report: {type(e).__name__}: "
              f"{printable(e)}", file=sys.stderr)
        return 1
    if not args.quiet:
        shown = args.published_into or args.into
        print(f"report: {os.path.join(shown, 'report.html')} ({figures} figures, also as PNG and SVG in "
              f"{os.path.join(shown, 'figures')})")
    return 0
