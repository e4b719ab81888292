"""The package `readmit` beyond runs: its documentation, the one
output-folder reader, experiments, scenario editing (overlays, timeline
entries) and `python3 -m readmit.report`.

Run by ctest with Debian's python3-pytest, as test_readmit.py.
"""
import os
import pydoc
import subprocess
import sys

import pandas as pd
import pytest

import readmit
from readmit.folder import FolderError, FolderReader, MetricDictionary

SOURCE = os.environ["READMIT_SOURCE_DIR"]
EXECUTABLE = os.environ["READMIT_EXECUTABLE"]
CAMBODIA = os.path.join(SOURCE, "scenarios", "cambodia_2017.yaml")
FAMILY_UNITY = os.path.join(SOURCE, "scenarios", "amendments", "family_unity.yaml")
SHORT = {"horizon_months": 28}


def cli(*args):
    result = subprocess.run([EXECUTABLE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return result


def test_help_documents_every_entry_point():
    text = pydoc.render_doc(readmit, renderer=pydoc.plaintext)
    for name in ["load(path", "run(scenario", "compare(base", "experiment(file", "read(path", "write_report(",
                 "readmit.report", "with_("]:
        assert name in text, name
    for function in [readmit.load, readmit.run, readmit.compare, readmit.experiment, readmit.read,
                     readmit.write_report, readmit.report.render, readmit.Scenario.with_]:
        assert function.__doc__ and function.__annotations__, function.__name__


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    cli("run", CAMBODIA, "-r", "3", "--set", "horizon_months=28", "--out", str(out))
    return out


def test_read_gives_the_files_of_a_run_folder(run_folder):
    folder = readmit.read(run_folder)
    for name in ["summary", "timeseries", "replications", "events"]:
        frame = getattr(folder, name)
        with open(run_folder / f"{name}.csv", encoding="utf-8") as f:
            assert list(frame.columns) == f.readline().strip().split(","), name
    assert folder.comparison is None and folder.monthly is None
    assert folder.metadata["command"] == "run"


def test_labels_units_and_headline_come_from_metrics_csv(run_folder):
    dictionary = readmit.read(run_folder).metrics
    table = readmit.metrics()
    headline = table[table["headline"] > 0].sort_values("headline")["metric"].tolist()
    assert dictionary.headline() == headline and headline[0] == "removals"
    row = table[table["table"] == "run_total"].set_index("metric").loc["custody_releases"]
    assert (dictionary.label("custody_releases"), dictionary.unit("custody_releases")) == (row["label"], row["unit"])
    # A folder without metrics.csv (an older readmit): the name in words, no unit, no headline.
    empty = MetricDictionary(None)
    assert (empty.label("bed_days"), empty.unit("bed_days"), empty.headline()) == ("bed days", "", [])


def test_the_reader_follows_no_link_and_reads_no_fifo(run_folder, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    os.symlink(run_folder / "summary.csv", copy / "summary.csv")
    os.mkfifo(copy / "events.csv")
    reader = FolderReader(str(copy))
    try:
        with pytest.raises(FolderError, match="summary.csv: expected a file readmit wrote, found a symbolic link"):
            reader.read_csv("summary.csv")
        with pytest.raises(FolderError, match=r"events.csv: expected a file readmit wrote, found a named pipe"):
            reader.read_csv("events.csv")
        assert reader.read_csv("replications.csv", required=False) is None
    finally:
        reader.close()


def test_an_overlay_is_merged_as_a_scenarios_amendments(tmp_path):
    base = readmit.load(CAMBODIA, set=SHORT)
    agreed = base.with_(overlays=[FAMILY_UNITY], name="agreed")
    assert agreed.overlays == [FAMILY_UNITY] and FAMILY_UNITY in agreed.source_files
    extends = tmp_path / "agreed.yaml"
    extends.write_text(f"extends: {CAMBODIA}\namendments: [{FAMILY_UNITY}]\nname: agreed\nhorizon_months: 28\n")
    def values(scenario):  # the resolved YAML without its header, which names the files and overrides
        return [line for line in scenario.show().splitlines() if not line.startswith("#")]
    assert values(agreed) == values(readmit.load(extends))
    results = readmit.compare(base, agreed, replications=2, threads=1)
    assert "overlays=" in results.metadata["command_line"]


def test_timeline_entries_are_dropped_replaced_and_added():
    base = readmit.load(CAMBODIA)
    assert "id: eo_13768\n" in base.show()
    dropped = base.with_(timeline_drop=["eo_13768"])
    assert "id: eo_13768\n" not in dropped.show() and "id: request_2016\n" in dropped.show()
    moved = base.with_(timeline=[{"id": "eo_13768", "date": "2017-06-01", "note": "later"}])
    assert "- date: 2017-06-01\n    id: eo_13768\n    note: later\n" in moved.show()
    added = base.with_(timeline=[{"id": "extra", "date": "2017-03-01", "set": {"sanctions.deescalate_after": 8}}])
    assert "id: extra\n" in added.show() and "id: eo_13768\n" in added.show()
    with pytest.raises(ValueError, match="timeline_drop: no timeline entry has id 'eo_1376'"):
        base.with_(timeline_drop=["eo_1376"])


def test_experiment_returns_the_tables_the_command_writes(tmp_path):
    file = tmp_path / "tiny.yaml"
    file.write_text(f"scenario: {CAMBODIA}\nreplications: 2\nseed: 3\nset: {{horizon_months: 28}}\n"
                    "policies: {status_quo: {}, quick_lift: {set: {sanctions.deescalate_after: 8}}}\n"
                    "uncertainties: {partners.cambodia.agreement.document_officers: [20, 80]}\n"
                    "outcomes: [removals, months_under_sanction]\ndesign: {method: grid}\n")
    cli("experiment", str(file), "-t", "1", "--out", str(tmp_path / "cli"))
    tables = readmit.experiment(file, out=tmp_path / "python", threads=1)
    assert tables.kind == "experiment" and len(tables.points) == 2
    for name, frame in [("points.csv", tables.points), ("summary.csv", tables.summary),
                        ("differences.csv", tables.differences)]:
        expected = pd.read_csv(tmp_path / "cli" / name, keep_default_na=False, na_values=["NA"])
        pd.testing.assert_frame_equal(frame, expected)
    assert set(tables.summary["policy"]) == {"status_quo", "quick_lift"}
    assert isinstance(readmit.read(tmp_path / "python"), readmit.ExperimentTables)
    page = readmit.write_report(tmp_path / "python")
    table = readmit.metrics()
    label = table[(table["table"] == "run_total") & (table["metric"] == "months_under_sanction")]["label"].item()
    with open(page, encoding="utf-8") as f:
        assert f"{label} (" in f.read()  # the outcome's label and unit, from the points' metrics.csv
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"scenario: {CAMBODIA}\ndesign: {{method: grid, level: 3}}\nuncertainties: {{seed: [1]}}\n")
    with pytest.raises(readmit.ScenarioError) as caught:
        readmit.experiment(bad)
    assert (caught.value.line, caught.value.key_path) == (2, "design.level")
    (tmp_path / "broken.yaml").write_text("scenario: [\n")
    with pytest.raises(readmit.ScenarioError, match="broken.yaml:"):
        readmit.experiment(tmp_path / "broken.yaml")
    with pytest.raises(readmit.ScenarioError, match="missing.yaml"):
        readmit.experiment(tmp_path / "missing.yaml")


def test_python_m_readmit_report(run_folder, tmp_path):
    environment = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "sim", "python"), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-P", "-m", "readmit.report"]
    done = subprocess.run(command + [str(run_folder), "--into", str(tmp_path / "page"), "--quiet"],
                          capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "page" / "report.html").exists() and not (run_folder / "report.html").exists()
    # The message names the page where it is, not the folder it was made from.
    told = subprocess.run(command + [str(run_folder), "--into", str(tmp_path / "told")], capture_output=True,
                          text=True, env=environment)
    assert told.returncode == 0, told.stderr
    assert told.stdout.startswith(f"report: {tmp_path / 'told' / 'report.html'} (")
    assert str(run_folder) not in told.stdout
    refused = subprocess.run(command + [str(tmp_path), "--into", str(tmp_path / "other")], capture_output=True,
                             text=True, env=environment)
    assert refused.returncode == 2 and "no metadata.json" in refused.stderr
