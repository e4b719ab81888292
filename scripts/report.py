#!/usr/bin/python3
"""Writes DIR/report.html and DIR/figures/*.png, *.svg for a readmit output folder.

Usage: /usr/bin/python3 scripts/report.py DIR [--quiet]

DIR is the output folder of `readmit run`, `readmit compare`, `readmit
sweep` or `readmit experiment`; its metadata.json says which (`command`). The page is
self-contained (figures embedded as PNG), opens offline, and states the
scenarios, seed, replications, version, git revision, dates and the command
that made the results. `readmit report DIR` and `--report` run this script.

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

from report_common import Report, RunFolder, read_json  # noqa: E402
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


class FolderError(Exception):
    pass


def kind_of(directory):
    metadata_path = os.path.join(directory, "metadata.json")
    if not os.path.isdir(directory):
        raise FolderError(f"{directory}: no such folder")
    if not os.path.exists(metadata_path):
        raise FolderError(f"{directory}: no metadata.json (not a readmit output folder, or an incomplete one: "
                          "metadata.json is written last)")
    command = read_json(metadata_path).get("command")
    if command not in BUILDERS:
        raise FolderError(f"{metadata_path}: unknown command {command!r}; a report is made for "
                          f"{', '.join(BUILDERS)}")
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


def make_report(directory):
    kind = kind_of(directory)
    build, folder_type, _ = BUILDERS[kind]
    folder = folder_type(directory)
    title, subtitle = title_of(kind, folder)
    report = Report(directory, kind, title, subtitle)
    build(report, folder)
    return report.write(), len(report.figure_names)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="output folder of readmit run, compare, sweep or experiment")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        path, figures = make_report(args.directory)
    except FolderError as e:
        print(f"report: error: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError) as e:
        print(f"report: error: {args.directory}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"report: {path} ({figures} figures, also as PNG and SVG in "
              f"{os.path.join(os.path.dirname(path), 'figures')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
