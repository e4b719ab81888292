"""The Python module `readmit`: scenarios, errors, runs and comparisons
in-process, the same bytes as the command line, DataFrames, reports.

Run by ctest with Debian's python3-pytest, PYTHONPATH pointing at the
build's python/ folder, READMIT_EXECUTABLE and READMIT_SOURCE_DIR set.
"""
import filecmp
import os
import re
import subprocess

import pandas as pd
import pytest

import readmit

SOURCE = os.environ["READMIT_SOURCE_DIR"]
EXECUTABLE = os.environ["READMIT_EXECUTABLE"]
CAMBODIA = os.path.join(SOURCE, "scenarios", "cambodia_2017.yaml")
HUMANITARIAN = os.path.join(SOURCE, "scenarios", "cambodia_2017_humanitarian.yaml")
SHORT = {"horizon_months": 28}
OFFICERS = "partners.cambodia.agreement.document_officers"


def cli(*args):
    result = subprocess.run([EXECUTABLE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return result


def output_names(directory):
    """The output files, without metadata.json and the folder's lock marker (.readmit)."""
    return sorted(n for n in os.listdir(directory) if n != "metadata.json" and not n.startswith("."))


def assert_same_files(cli_dir, python_dir):
    names = output_names(cli_dir)
    assert names == output_names(python_dir)
    match, mismatch, errors = filecmp.cmpfiles(cli_dir, python_dir, names, shallow=False)
    assert mismatch == [] and errors == [], (mismatch, errors)
    assert len(match) >= 5


def test_run_writes_the_same_bytes_as_the_command_line(tmp_path):
    cli("run", CAMBODIA, "-r", "6", "--seed", "5", "-t", "1", "--set", "horizon_months=28", "--out",
        str(tmp_path / "cli"))
    results = readmit.run(readmit.load(CAMBODIA, set=SHORT), replications=6, seed=5, threads=2)
    results.save(tmp_path / "python")
    assert_same_files(tmp_path / "cli", tmp_path / "python")
    assert results.metadata["command_line"].startswith("python: readmit.run(load(")


def test_compare_writes_the_same_bytes_as_the_command_line(tmp_path):
    cli("compare", CAMBODIA, HUMANITARIAN, "-r", "5", "--set", "horizon_months=28", "--out", str(tmp_path / "cli"))
    base, alt = readmit.load(CAMBODIA, set=SHORT), readmit.load(HUMANITARIAN, set=["horizon_months=28"])
    readmit.compare(base, alt, replications=5).save(tmp_path / "python")
    assert_same_files(tmp_path / "cli", tmp_path / "python")


def test_dataframes_have_the_columns_of_the_files():
    results = readmit.compare(readmit.load(CAMBODIA, set=SHORT), readmit.load(HUMANITARIAN, set=SHORT),
                              replications=3)
    for frame, name in [(results.summary, "summary.csv"), (results.timeseries, "timeseries.csv"),
                        (results.replications, "replications.csv"), (results.comparison, "comparison.csv"),
                        (results.events, "events.csv")]:
        with open(os.path.join(results.path, name), encoding="utf-8") as f:
            assert list(frame.columns) == f.readline().strip().split(","), name
        assert len(frame) > 0, name
    assert results.scenarios == ["cambodia_2017", "cambodia_2017_humanitarian"]
    assert results.monthly is None
    removals = results.comparison.query("partner == 'all' and metric == 'removals'").iloc[0]
    assert removals["difference_ci95_low"] <= removals["difference_mean"] <= removals["difference_ci95_high"]
    # NA (a median with no removal) is the only missing value.
    assert results.timeseries["mean"].isna().any()
    assert results.timeseries["partner"].dtype == object


def test_run_defaults_to_the_scenario_replications_and_monthly_on_request():
    scenario = readmit.load(CAMBODIA, set={"horizon_months": 28, "replications": 4})
    results = readmit.run(scenario, monthly=True)
    assert results.metadata["replications"] == 4 == scenario.replications
    assert set(results.monthly["replication"]) == {1, 2, 3, 4}


def test_with_makes_a_copy_with_overrides_in_every_form():
    base = readmit.load(CAMBODIA)
    a = base.with_({OFFICERS: 60}, name="more_officers")
    b = base.with_(partners__cambodia__agreement__document_officers=60, name="more_officers")
    c = base.with_([f"{OFFICERS}=60", "name=more_officers"])
    assert a.overrides == b.overrides == c.overrides == [f"{OFFICERS}=60", "name=more_officers"]
    # The officers are declared with their range: the value is the range's `value`.
    assert re.search(r"document_officers:\s+value: 60\n", a.show())
    assert re.search(r"document_officers:\s+value: 100\n", base.show())
    assert base.overrides == [] and base.name == "cambodia_2017" and a.name == "more_officers"
    assert "interview_required: false" in base.with_({"partners.cambodia.agreement.interview_required": False}).show()
    assert "acceptance_base_prob: 0.5\n" in base.with_({"partners.cambodia.agreement.acceptance_base_prob": 0.5}).show()


def test_compare_with_a_modified_copy_records_each_scenarios_overrides():
    base = readmit.load(CAMBODIA, set=SHORT)
    more = base.with_({OFFICERS: 60}, name="more_officers")
    results = readmit.compare(base, more, replications=3, threads=1)
    assert [s["overrides"] for s in results.metadata["scenarios"]] == [
        ["horizon_months=28"], ["horizon_months=28", f"{OFFICERS}=60", "name=more_officers"]]
    assert set(results.comparison["alternative"]) == {"more_officers"}


def test_compare_refuses_two_scenarios_of_one_name():
    base = readmit.load(CAMBODIA, set=SHORT)
    with pytest.raises(ValueError, match=r"scenarios 1 and 2 are both named 'cambodia_2017'; give one its own "
                                         r"name, e.g. scenario.with_\(name='cambodia_2017_alt'\)"):
        readmit.compare(base, base.with_({OFFICERS: 60}))
    with pytest.raises(ValueError, match="give a baseline and at least one alternative"):
        readmit.compare(base)


def test_scenario_error_names_file_line_column_and_key():
    path = os.path.join(SOURCE, "tests", "scenario", "malformed", "bad_date.yaml")
    with pytest.raises(readmit.ScenarioError) as caught:
        readmit.load(path)
    error = caught.value
    assert (error.file, error.line, error.column, error.key_path) == (path, 4, 13, "start_date")
    assert error.message == 'expected a date YYYY-MM-DD that exists in the calendar, found "2020-02-30"'
    assert str(error) == f"{path}:4:13: error: start_date: " + error.message
    assert isinstance(error, ValueError)


def test_a_bad_override_is_a_scenario_error():
    with pytest.raises(readmit.ScenarioError) as caught:
        readmit.load(CAMBODIA).with_({"partners.cambodia.agreement.acceptance_base_prob": 1.5})
    error = caught.value
    assert error.key_path == "partners.cambodia.agreement.acceptance_base_prob"
    assert error.message == 'expected a probability in [0, 1], found "1.5"'
    assert error.line == 0 and error.file.startswith("command line")
    with pytest.raises(TypeError, match="cannot pass a object as a scenario value"):
        readmit.load(CAMBODIA).with_(horizon_months=object())
    with pytest.raises(ValueError, match="expected 'key.path=value', found 'horizon_months'"):
        readmit.load(CAMBODIA, set=["horizon_months"])


def test_a_bad_until_ci_is_a_value_error():
    with pytest.raises(ValueError, match="--until-ci \"removals\": expected METRIC=HALF_WIDTH"):
        readmit.run(readmit.load(CAMBODIA, set=SHORT), until_ci="removals")


def test_schema_and_metrics_are_dataframes():
    schema = readmit.schema()
    assert isinstance(schema, pd.DataFrame)
    row = schema.set_index("path").loc["partners.*.agreement.document_officers"]
    assert row["default"] is not None and row["meaning"]
    assert list(schema.columns[:3]) == ["path", "expected", "unit"]
    metrics = readmit.metrics()
    assert {"removals", "cooperation", "stock_detained"} <= set(metrics["metric"])
    assert set(metrics.loc[metrics["table"] == "monthly", "kind"]) == {"stock", "flow", "level"}
    monthly = metrics[metrics["table"] == "monthly"].set_index("metric")
    assert monthly.loc["removals", "kind"] == "flow"
    assert monthly.loc["cooperation", "label"] == "partner cooperation"


def test_report_writes_the_page_and_its_figures(tmp_path):
    results = readmit.run(readmit.load(CAMBODIA, set=SHORT), replications=3)
    page = results.report(tmp_path / "out")
    assert page == str(tmp_path / "out" / "report.html")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    assert "data:image/png;base64," in text and 'data-section="diplomacy"' in text
    figures = os.listdir(tmp_path / "out" / "figures")
    assert "removals_vs_backlog.png" in figures and "removals_vs_backlog.svg" in figures


# Issue #21, defect 14: the options are checked as the command line checks them.
@pytest.mark.parametrize("options,message", [
    ({"replications": -5}, r"replications: expected a whole number in \[1, 1000000\], found -5"),
    ({"replications": 0}, r"replications: expected a whole number in \[1, 1000000\], found 0"),
    ({"replications": 10**7}, r"replications: expected a whole number in \[1, 1000000\], found 10000000"),
    ({"replications": 2.5}, r"replications: expected a whole number in \[1, 1000000\], found 2.5"),
    ({"replications": True}, r"replications: expected a whole number in \[1, 1000000\], found True"),
    ({"threads": 10**6}, r"threads: expected a whole number in \[1, 4096\], found 1000000"),
    ({"threads": 0}, r"threads: expected a whole number in \[1, 4096\], found 0"),
    ({"threads": -1}, r"threads: expected a whole number in \[1, 4096\], found -1"),
    ({"seed": -1}, r"seed: expected a whole number in \[0, 2\^53\), found -1"),
    ({"seed": 2**53}, r"seed: expected a whole number in \[0, 2\^53\), found 9007199254740992"),
    ({"max_replications": 1}, r"max_replications: expected a whole number in \[2, 1000000\], found 1"),
])
def test_run_options_are_checked_as_on_the_command_line(options, message):
    with pytest.raises(ValueError, match=message):
        readmit.run(readmit.load(CAMBODIA, set=SHORT), **options)


# Issue #21, defect 2: save() holds the folder as the command line does, and writes atomically.
def test_save_holds_its_folder_and_refuses_a_users_folder(tmp_path):
    import fcntl

    results = readmit.run(readmit.load(CAMBODIA, set=SHORT), replications=2)
    held = tmp_path / "held"
    held.mkdir()
    (held / ".readmit").write_text("held by the test\n")
    holder = os.open(held / ".readmit", os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OSError, match="is in use by another readmit run"):
            results.save(held)
        assert os.listdir(held) == [".readmit"]
    finally:
        os.close(holder)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.csv").write_text("my own summary\n")
    with pytest.raises(OSError, match="was not created by readmit"):
        results.save(mine)
    assert (mine / "summary.csv").read_text() == "my own summary\n"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.symlink(victim, mine / "timeseries.csv")
    results.save(mine, force=True)
    assert victim.read_text() == "precious\n"
    assert not os.path.islink(mine / "timeseries.csv")
    assert_same_files(results.path, mine)
