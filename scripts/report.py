#!/usr/bin/python3
"""Writes report.html and figures/*.png, *.svg for a readmit output folder into a new folder.

Usage: /usr/bin/python3 scripts/report.py DIR --into NEW_FOLDER [--quiet]

DIR is the output folder of `readmit run`, `readmit compare`, `readmit
sweep` or `readmit experiment`; its metadata.json says which (`command`). The page is
self-contained (figures embedded as PNG), opens offline, and states the
scenarios, seed, replications, version, git revision, dates and the command
that made the results. `readmit report DIR` and `--report` run this script:
they hold DIR as every command holds its output folder, let the script write
into a private folder inside it, and publish the page and figures in place
of the earlier report's. The script itself never writes into DIR, and reads
it only through report_common.FolderReader (no symbolic link followed, only
regular files, each of bounded size).

Each kind of folder has a builder module (report_run, report_compare,
report_sweep, report_experiment) with a `build(report, folder)` function;
sweeps and experiments share report_points and report_analysis. A new kind
adds a module and a line to BUILDERS.
Exit codes: 0 written, 1 the report could not be written, 2 DIR is not a
complete readmit output folder.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ beside the installed or checked-out scripts

from report_common import FolderError, FolderReader, Report, RunFolder, read_metadata  # noqa: E402
import report_compare  # noqa: E402
import report_experiment  # noqa: E402
import report_run  # noqa: E402
import report_sweep  # noqa: E402
from report_points import PointsFolder  # noqa: E402

BUILDERS = {
    "run": (report_run.build, RunFolder, "readmit run"),
    "compare": (report_compare.build, RunFolder, "readmit compare"),
    "sweep": (report_sweep.build, PointsFolder, "readmit sweep"),
    "experiment": (report_experiment.build, PointsFolder, "readmit experiment"),
}


def kind_of(reader):
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


def make_report(directory, into):
    reader = FolderReader(directory)
    try:
        kind = kind_of(reader)
        build, folder_type, _ = BUILDERS[kind]
        folder = folder_type(reader)
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="output folder of readmit run, compare, sweep or experiment")
    parser.add_argument("--into", required=True,
                        help="a new folder for report.html and figures/ (readmit report DIR publishes them into DIR)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        os.makedirs(args.into, exist_ok=True)
        if os.listdir(args.into):
            raise FolderError(f"{args.into}: --into must name a new or empty folder")
        path, figures = make_report(args.directory, args.into)
    except FolderError as e:
        print(f"report: error: {printable(e)}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 -- a corrupt folder can fail anywhere; never a traceback
        print(f"report: error: {printable(args.directory)}: cannot make the report: {type(e).__name__}: "
              f"{printable(e)}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"report: {os.path.join(args.directory, 'report.html')} ({figures} figures, also as PNG and SVG in "
              f"{os.path.join(args.directory, 'figures')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
