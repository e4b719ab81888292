"""The hostile and faulty probes of issue #21 that need a process, a race,
a kill or the report: sweeps, experiments, reports and the output folder
they share with run and compare. One test per defect of the issue (the
number in its name); each runs the real binary in a fresh folder.

Run by ctest (bad_inputs.surfaces_folders, _reports, _corrupt_reports and
_inputs: groups that run in parallel) with Debian's python3-pytest;
READMIT_EXECUTABLE names the binary, READMIT_SOURCE_DIR the source tree.
"""
import gzip
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time

import pytest

EXECUTABLE = os.environ["READMIT_EXECUTABLE"]
SOURCE = os.environ["READMIT_SOURCE_DIR"]
# A sanitizer build reserves terabytes of address space: no cap, and more memory.
SANITIZED = os.environ.get("READMIT_SANITIZED") == "1"

BASE = """name: base
start_date: 2020-01-01
horizon_months: 12
replications: 2
partners:
  alpha:
    population:
      docket_at_start: 10
"""
# About 2 s a run of 200 replications on one thread: long enough to be
# killed or joined while it simulates.
SLOW = """name: slow
start_date: 2020-01-01
horizon_months: 60
replications: 200
partners:
  alpha:
    population:
      docket_at_start: 20000
      inflow_per_month: 300
"""
SWEEP = """scenario: base.yaml
replications: 1
grid:
  partners.alpha.population.docket_at_start: [5, 10, 15, 20]
"""
SLOW_SWEEP = """scenario: slow.yaml
replications: 20
grid:
  partners.alpha.population.inflow_per_month: [100, 150, 200, 250, 300, 350]
"""
EXPERIMENT = """scenario: base.yaml
replications: 2
policies:
  a: {}
  b: {set: {partners.alpha.population.docket_at_start: 20}}
uncertainties:
  partners.alpha.population.inflow_per_month: {dist: uniform, min: 0, max: 5}
design: {method: latin_hypercube, samples: 6}
"""


def readmit(*args, cwd, timeout=120, limit_memory_bytes=None):
    """Runs readmit; stdin empty. With limit_memory_bytes, the child's address space is capped (so that a
    runaway allocation fails at once), except under a sanitizer."""
    capped = limit_memory_bytes and not SANITIZED

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_memory_bytes, limit_memory_bytes))
    return subprocess.run([EXECUTABLE, *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=timeout, preexec_fn=limit if capped else None, errors="replace")


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def tree(folder):
    """Every entry under folder (relative paths), symbolic links as 'name -> target'."""
    found = []
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder)
            found.append(f"{relative} -> {os.readlink(path)}" if os.path.islink(path) else relative)
    return sorted(found)


def hidden_leftovers(folder):
    """Hidden entries readmit should not leave behind (its marker and manifest aside)."""
    return [p for p in tree(folder) if os.path.basename(p.split(" -> ")[0]).startswith(".")
            and os.path.basename(p) not in (".readmit", ".readmit-manifest")]


@pytest.fixture
def work(tmp_path):
    write(tmp_path / "base.yaml", BASE)
    write(tmp_path / "slow.yaml", SLOW)
    write(tmp_path / "sweep.yaml", SWEEP)
    write(tmp_path / "slow_sweep.yaml", SLOW_SWEEP)
    write(tmp_path / "experiment.yaml", EXPERIMENT)
    return tmp_path


def wait_for(condition, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


# 1 -------------------------------------------------------------------------


def test_01_planted_symlinks_are_never_followed(work):
    """Symbolic links planted at the names of a sweep's temporaries (the
    process id is known: the shell execs readmit) must not be followed: the
    file outside keeps its bytes and every output is a regular file."""
    victim = work / "outside" / "victim.txt"
    write(victim, "precious\n")
    out = work / "out"
    os.makedirs(out)
    names = ["points.csv", "sweep.csv", "sweep.sqlite", "scenario.resolved.yaml", "metadata.json", ".readmit-manifest"]
    # The temporaries' names: .NAME.PID.N.tmp (and the database's .NAME.tmp-PID-N).
    plant = ("for n in $(seq 0 40); do for f in " + " ".join(names) + "; do "
             "ln -s ../outside/victim.txt \"out/.$f.$$.$n.tmp\"; ln -s ../outside/victim.txt \"out/.$f.tmp-$$-$n\"; "
             "done; done; exec \"$0\" sweep sweep.yaml --out out")
    result = subprocess.run(["sh", "-c", plant, EXECUTABLE], cwd=work, capture_output=True, text=True, timeout=120)
    assert read(victim) == "precious\n"
    assert result.returncode == 0, result.stderr
    for name in ["points.csv", "sweep.csv", "sweep.sqlite", "metadata.json"]:
        info = os.lstat(out / name)
        assert stat.S_ISREG(info.st_mode), name
    assert not [p for p in tree(out) if " -> " in p]


def test_01_a_symlink_at_a_final_name_is_replaced_not_followed(work):
    victim = work / "outside" / "victim.txt"
    write(victim, "precious\n")
    ok(readmit("run", "base.yaml", "-r", "1", "--out", "out", cwd=work))
    os.remove(work / "out" / "summary.csv")
    os.symlink("../outside/victim.txt", work / "out" / "summary.csv")
    ok(readmit("run", "base.yaml", "-r", "1", "--out", "out", cwd=work))
    assert read(victim) == "precious\n"
    assert stat.S_ISREG(os.lstat(work / "out" / "summary.csv").st_mode)


# 2 -------------------------------------------------------------------------


@pytest.mark.parametrize("command,file", [("sweep", "sweep.yaml"), ("experiment", "experiment.yaml")])
def test_02_a_users_folder_is_refused_without_force(work, command, file):
    mine = work / "mine"
    write(mine / "summary.csv", "my own summary\n")
    write(mine / "metadata.json", "{\"mine\": true}\n")
    refused = readmit(command, file, "--out", "mine", cwd=work)
    assert refused.returncode == 2, refused.stderr
    assert "was not created by readmit" in refused.stderr and "--force" in refused.stderr
    assert read(mine / "summary.csv") == "my own summary\n"
    assert read(mine / "metadata.json") == "{\"mine\": true}\n"
    assert sorted(os.listdir(mine)) == ["metadata.json", "summary.csv"]
    write(mine / "notes.txt", "keep me\n")
    ok(readmit(command, file, "--out", "mine", "--force", cwd=work))
    assert read(mine / "notes.txt") == "keep me\n"
    assert json.loads(read(mine / "metadata.json"))["command"] == command


@pytest.mark.parametrize("command,file", [("sweep", "sweep.yaml"), ("experiment", "experiment.yaml")])
def test_02_a_folder_held_by_a_run_is_refused(work, command, file):
    run = subprocess.Popen([EXECUTABLE, "run", "slow.yaml", "-t", "1", "--out", "out"], cwd=work,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: os.path.exists(work / "out" / ".readmit"))
        refused = readmit(command, file, "--out", "out", cwd=work)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "in use by another readmit" in refused.stderr
    finally:
        _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    meta = json.loads(read(work / "out" / "metadata.json"))
    assert meta["command"] == "run"
    assert not os.path.exists(work / "out" / "points")


def test_02_two_sweeps_into_one_folder_one_is_refused_cleanly(work):
    first = subprocess.Popen([EXECUTABLE, "sweep", "slow_sweep.yaml", "-t", "1", "--out", "out"], cwd=work,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: os.path.exists(work / "out" / ".readmit"))
        second = readmit("sweep", "slow_sweep.yaml", "-t", "1", "--out", "out", cwd=work)
        assert second.returncode == 2, second.stderr
        assert "in use by another readmit" in second.stderr
    finally:
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert json.loads(read(work / "out" / "metadata.json"))["points_done"] == 6


def test_02_shards_run_at_once_into_one_folder(work):
    shards = [subprocess.Popen([EXECUTABLE, "sweep", "slow_sweep.yaml", "-t", "1", "--shard", f"{i}/2", "--out",
                                "out"], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
              for i in (1, 2)]
    for shard in shards:
        _, err = shard.communicate(timeout=300)
        assert shard.returncode == 0, err
    merged = ok(readmit("sweep", "slow_sweep.yaml", "-t", "1", "--out", "out", cwd=work))
    assert "(0 run, 6 done earlier)" in merged.stdout
    ok(readmit("sweep", "slow_sweep.yaml", "-t", "1", "--out", "whole", cwd=work))
    for name in ["sweep.csv", "points.csv", "sweep.sqlite"]:
        assert read(work / "out" / name, "rb") == read(work / "whole" / name, "rb"), name


# 3 -------------------------------------------------------------------------


def test_03_report_removes_only_the_figures_it_wrote(work):
    ok(readmit("run", "base.yaml", "-r", "2", "--out", "out", "--report", cwd=work))
    figures = work / "out" / "figures"
    ours = sorted(os.listdir(figures))
    assert ours
    write(figures / "my_plot.png", "mine")
    write(figures / "my_plot.svg", "mine")
    write(figures / "stale_looking.png", "mine too")
    ok(readmit("report", "out", cwd=work))
    assert read(figures / "my_plot.png") == "mine"
    assert read(figures / "my_plot.svg") == "mine"
    assert read(figures / "stale_looking.png") == "mine too"
    # A figure an earlier report wrote and this one does not is still removed.
    manifest = read(work / "out" / ".readmit-manifest")
    assert "figures/" + ours[0] in manifest


def test_03_report_does_not_follow_a_symlinked_figures_folder(work):
    ok(readmit("run", "base.yaml", "-r", "2", "--out", "out", cwd=work))
    elsewhere = work / "elsewhere"
    write(elsewhere / "holiday.png", "photo")
    write(elsewhere / "diagram.svg", "drawing")
    os.symlink("../elsewhere", work / "out" / "figures")
    result = readmit("report", "out", cwd=work)
    assert result.returncode == 2, result.stderr
    assert "symbolic link" in result.stderr
    assert sorted(os.listdir(elsewhere)) == ["diagram.svg", "holiday.png"]
    assert not os.path.exists(work / "out" / "report.html")


# 4 -------------------------------------------------------------------------


def points_experiment(work, points_file):
    write(work / "points_experiment.yaml",
          "scenario: base.yaml\nreplications: 1\ndesign: {method: points, file: " + points_file + "}\n")
    return "points_experiment.yaml"


def test_04_a_points_file_of_dev_zero_is_refused_at_once(work):
    result = readmit("experiment", points_experiment(work, "/dev/zero"), "--out", "out", cwd=work, timeout=30,
                     limit_memory_bytes=2 << 30)
    assert result.returncode == 2, result.stderr
    assert "points_experiment.yaml:3:" in result.stderr
    assert "expected a CSV file, found a character device: /dev/zero" in result.stderr
    assert not os.path.exists(work / "out")


def test_04_a_points_file_that_is_a_fifo_is_refused_at_once(work):
    os.mkfifo(work / "points.csv")
    result = readmit("experiment", points_experiment(work, "points.csv"), "--out", "out", cwd=work, timeout=30)
    assert result.returncode == 2, result.stderr
    assert "expected a CSV file, found a named pipe (FIFO)" in result.stderr


def test_04_a_points_file_above_the_limit_is_refused(work):
    with open(work / "points.csv", "wb") as f:
        f.truncate((1 << 30) + 1)
    result = readmit("experiment", points_experiment(work, "points.csv"), "--out", "out", cwd=work, timeout=30,
                     limit_memory_bytes=2 << 30)
    assert result.returncode == 2, result.stderr
    assert "expected a CSV file of at most" in result.stderr


# 5 -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["...yaml", "..yaml", ". .yaml"])
def test_05_a_default_folder_never_leaves_results(work, name):
    inner = work / "inner"
    os.makedirs(inner)
    write(inner / name, read(work / "sweep.yaml").replace("base.yaml", "../base.yaml"))
    before = tree(work)
    result = readmit("sweep", name, cwd=inner)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--out" in result.stderr
    assert tree(work) == before


def test_05_a_safe_stem_names_the_default_folder(work):
    ok(readmit("sweep", "sweep.yaml", cwd=work))
    assert os.path.exists(work / "results" / "sweep" / "metadata.json")


# 6 -------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["a b#c?mode=rw%20d", "100%"])
def test_06_report_of_a_folder_with_uri_characters(work, folder):
    ok(readmit("experiment", "experiment.yaml", "--out", folder, cwd=work))
    before = sorted(os.listdir(work))
    result = readmit("report", folder, cwd=work)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert os.path.exists(work / folder / "report.html")
    assert sorted(os.listdir(work)) == before


# 7 -------------------------------------------------------------------------


def test_07_compressed_outputs_are_all_compressed_and_reported(work):
    write(work / "alt.yaml", "extends: base.yaml\nname: alt\n")
    ok(readmit("compare", "base.yaml", "alt.yaml", "-r", "3", "--compress", "--out", "out", cwd=work))
    names = sorted(n for n in os.listdir(work / "out") if not n.startswith("."))
    assert not [n for n in names if n.endswith(".csv")], names
    assert "metrics.csv.gz" in names
    assert gzip.decompress(read(work / "out" / "metrics.csv.gz", "rb")).startswith(b"metric,")
    result = readmit("report", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    assert os.path.exists(work / "out" / "report.html")
    ok(readmit("run", "base.yaml", "-r", "3", "--compress", "--out", "single", "--report", cwd=work))
    assert os.path.exists(work / "single" / "report.html")


# 8 -------------------------------------------------------------------------


@pytest.mark.parametrize("text,where", [
    ("scenario: base.yaml\nreplications: 1\nuncertainties:\n  name: [n1, n2]\ndesign: {method: grid}\n", ":4:3:"),
    ("scenario: base.yaml\nreplications: 1\npolicies: {a: {}, b: {}}\nuncertainties:\n  name: [n1, n2]\n"
     "design: {method: grid}\n", ":5:3:"),
    ("scenario: base.yaml\nreplications: 1\ngrid:\n  name: [n1, n2]\n", ":4:3:"),
    ("scenario: base.yaml\nreplications: 1\npolicies: {a: {}, b: {}}\nset: {name: x}\n"
     "uncertainties: {partners.alpha.population.docket_at_start: [5, 10]}\ndesign: {method: grid}\n", ":4:7:"),
])
def test_08_an_uncertain_name_is_refused_before_anything_runs(work, text, where):
    write(work / "named.yaml", text)
    command = "sweep" if "grid:\n" in text else "experiment"
    result = readmit(command, "named.yaml", "--out", "out", cwd=work)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "named.yaml" + where + " error: " in result.stderr, result.stderr
    assert "name" in result.stderr
    assert not os.path.exists(work / "out")


def test_08_a_point_file_column_name_is_refused(work):
    write(work / "points.csv", "name\nn1\nn2\n")
    result = readmit("experiment", points_experiment(work, "points.csv"), "--out", "out", cwd=work)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "points.csv:1:1: error: " in result.stderr
    assert not os.path.exists(work / "out")


# 9 -------------------------------------------------------------------------


def run_measured(args, cwd, timeout=300):
    """Runs readmit and returns (exit code, stderr, peak resident memory in KiB) of that process alone."""
    with open(cwd / "measured.err", "w+") as err:
        process = subprocess.Popen([EXECUTABLE, *args], cwd=cwd, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.time() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.time() > deadline:
                process.kill()
                raise AssertionError(f"readmit {' '.join(args)} did not end in {timeout} s")
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return process.returncode, err.read(), usage.ru_maxrss


def test_09_morris_candidates_take_little_memory(work):
    write(work / "morris.yaml",
          "scenario: base.yaml\nreplications: 1\n"
          "uncertainties:\n  partners.alpha.population.inflow_per_month: {dist: uniform, min: 0, max: 5}\n"
          "design: {method: morris, trajectories: 2, candidates: 10000}\n")
    code, err, peak_kib = run_measured(["experiment", "morris.yaml", "-t", "2", "--out", "out"], work)
    assert code == 0, err
    # A matrix of every pair's distance took 800 MB.
    assert peak_kib < (500 if SANITIZED else 200) * 1024, f"peak {peak_kib} KiB"


def test_09_morris_candidates_beyond_what_can_be_compared_are_refused(work):
    paths = "".join(f"  partners.alpha.population.{p}: {{dist: uniform, min: 0, max: 5}}\n"
                    for p in ["inflow_per_month", "docket_at_start"])
    write(work / "morris.yaml",
          "scenario: base.yaml\nreplications: 1\nuncertainties:\n" + paths +
          "design: {method: morris, trajectories: 2, candidates: 100000}\n")
    started = time.time()
    result = readmit("experiment", "morris.yaml", "--out", "out", cwd=work, timeout=120)
    if result.returncode == 2:
        assert "morris.yaml:6:" in result.stderr and "candidates" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert time.time() - started < 100


# 10 ------------------------------------------------------------------------


def kill_when(process, condition, seconds=60):
    assert wait_for(condition, seconds)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def test_10_an_interrupted_rerun_keeps_the_old_run(work):
    ok(readmit("run", "base.yaml", "-r", "2", "--out", "out", cwd=work))
    old = {n: read(work / "out" / n, "rb") for n in os.listdir(work / "out") if not n.startswith(".")}
    rerun = subprocess.Popen([EXECUTABLE, "run", "slow.yaml", "-t", "1", "--out", "out"], cwd=work,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    assert rerun.poll() is None, "the rerun ended before it could be interrupted"
    rerun.send_signal(signal.SIGKILL)
    rerun.wait(timeout=60)
    now = {n: read(work / "out" / n, "rb") for n in os.listdir(work / "out") if not n.startswith(".")}
    assert now == old


def test_10_an_interrupted_sweep_rerun_keeps_the_old_tables(work):
    ok(readmit("sweep", "slow_sweep.yaml", "-t", "2", "-r", "2", "--out", "out", cwd=work))
    old = {n: read(work / "out" / n, "rb") for n in ["sweep.csv", "points.csv", "sweep.sqlite", "metadata.json"]}
    rerun = subprocess.Popen([EXECUTABLE, "sweep", "slow_sweep.yaml", "-t", "1", "-r", "30", "--restart", "--out",
                              "out"], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    assert rerun.poll() is None, "the rerun ended before it could be interrupted"
    rerun.send_signal(signal.SIGKILL)
    rerun.wait(timeout=60)
    assert {n: read(work / "out" / n, "rb") for n in old} == old


# 11 ------------------------------------------------------------------------


@pytest.mark.parametrize("command,file,database", [("sweep", "sweep.yaml", "sweep.sqlite"),
                                                    ("experiment", "experiment.yaml", "experiment.sqlite")])
def test_11_a_resumed_run_removes_a_killed_merges_temporaries(work, command, file, database):
    ok(readmit(command, file, "--out", "out", cwd=work))
    # What a merge killed by SIGKILL leaves: the database and tables under
    # their hidden temporary names (this and earlier versions' forms).
    for name in [f".{database}.tmp-4242-0", f".{database}.4242.7.tmp", ".points.csv.4242.3.tmp",
                 ".metadata.json.4242.9.tmp", ".scenario.resolved.yaml.99.0.tmp"]:
        write(work / "out" / name, "partial")
    os.remove(work / "out" / "metadata.json")
    ok(readmit(command, file, "--out", "out", cwd=work))
    assert hidden_leftovers(work / "out") == []


def test_11_kills_at_any_moment_leave_nothing_behind(work):
    for delay in (0.2, 0.5, 0.9, 1.4):
        process = subprocess.Popen([EXECUTABLE, "sweep", "slow_sweep.yaml", "-t", "2", "-r", "4", "--out", "out"],
                                   cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    ok(readmit("sweep", "slow_sweep.yaml", "-t", "2", "-r", "4", "--out", "out", cwd=work))
    assert hidden_leftovers(work / "out") == []


# 12 ------------------------------------------------------------------------


@pytest.mark.parametrize("samples", [1, 2])
def test_12_a_report_of_a_one_or_two_point_experiment(work, samples):
    write(work / "small.yaml", EXPERIMENT.replace("samples: 6", f"samples: {samples}"))
    result = readmit("experiment", "small.yaml", "--out", "out", "--report", cwd=work)
    assert result.returncode == 0, result.stderr
    assert os.path.exists(work / "out" / "report.html")


def corrupt(work, how):
    out = work / "out"
    if how == "metadata is a fifo":
        os.remove(out / "metadata.json")
        os.mkfifo(out / "metadata.json")
    elif how == "summary is /dev/zero":
        os.remove(out / "summary.csv")
        os.symlink("/dev/zero", out / "summary.csv")
    elif how == "timeseries is a fifo":
        os.remove(out / "timeseries.csv")
        os.mkfifo(out / "timeseries.csv")
    elif how == "metadata is a list":
        write(out / "metadata.json", "[1, 2]")
    elif how == "metadata is not json":
        write(out / "metadata.json", "{\"command\": \"run\", ")
    elif how == "metadata without scenarios":
        write(out / "metadata.json", "{\"command\": \"run\"}")
    elif how == "summary is garbage":
        write(out / "summary.csv", "\x00\x01garbage\n\"unclosed\n")
    elif how == "summary has no rows":
        write(out / "summary.csv", "scenario,partner,metric\n")
    elif how == "events has a bad date":
        write(out / "events.csv", "scenario,replication,date,partner,event,detail\nbase,1,not-a-date,alpha,x,y\n")
    elif how == "partner names a path":
        text = read(out / "summary.csv").replace(",alpha,", ",../../escaped,")
        write(out / "summary.csv", text)
        text = read(out / "timeseries.csv").replace(",alpha,", ",../../escaped,")
        write(out / "timeseries.csv", text)
    elif how == "command is a sweep without points":
        write(out / "metadata.json", "{\"command\": \"sweep\", \"sweep_file\": \"x.yaml\"}")
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["metadata is a fifo", "summary is /dev/zero", "timeseries is a fifo",
                                 "metadata is a list", "metadata is not json", "metadata without scenarios",
                                 "summary is garbage", "summary has no rows", "events has a bad date",
                                 "partner names a path", "command is a sweep without points"])
def test_12_report_of_a_corrupt_folder_fails_cleanly(work, how):
    ok(readmit("run", "base.yaml", "-r", "2", "--out", "out", cwd=work))
    corrupt(work, how)
    before = tree(work)
    result = readmit("report", "out", cwd=work, timeout=60, limit_memory_bytes=4 << 30)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
    if result.returncode != 0:
        assert result.stderr.startswith("report: error: out") or result.stderr.startswith("readmit: error:"), \
            result.stderr
        assert tree(work) == before
    # Nothing written outside the folder and its figures/.
    outside = [p for p in tree(work) if p not in before and not p.startswith(("out/figures/", "out/report.html"))
               and p != "out/figures"]
    assert outside == []
    assert not os.path.exists(work.parent / "escaped")


# 13 ------------------------------------------------------------------------


@pytest.mark.parametrize("command,file", [("sweep", "sweep.yaml"), ("experiment", "experiment.yaml")])
def test_13_a_symlinked_points_folder_is_not_followed(work, command, file):
    elsewhere = work / "elsewhere"
    os.makedirs(elsewhere)
    os.makedirs(work / "out")
    ok(readmit(command, file, "--out", "out", cwd=work))
    os.rename(work / "out" / "points", work / "old_points")
    os.symlink("../elsewhere", work / "out" / "points")
    result = readmit(command, file, "--out", "out", cwd=work)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "symbolic link" in result.stderr
    assert os.listdir(elsewhere) == []
    # A symlinked point folder, too.
    os.remove(work / "out" / "points")
    os.rename(work / "old_points", work / "out" / "points")
    point = sorted(os.listdir(work / "out" / "points"))[0]
    os.rename(work / "out" / "points" / point, work / "old_point")
    os.symlink("../../elsewhere", work / "out" / "points" / point)
    result = readmit(command, file, "--out", "out", cwd=work)
    assert result.returncode == 2, result.stdout + result.stderr
    assert os.listdir(elsewhere) == []


# 16 ------------------------------------------------------------------------


def test_16_free_text_is_neutralised_in_csv(work):
    write(work / "noted.yaml",
          "extends: base.yaml\ntimeline:\n"
          "  - {date: 2020-02-01, note: \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"}\n"
          "  - {date: 2020-03-01, note: \"@SUM(A1)\"}\n"
          "  - {date: 2020-04-01, note: \"+1+cmd\"}\n"
          "  - {date: 2020-05-01, note: \"-2+3\"}\n"
          "  - {date: 2020-06-01, note: \"clear \\e[2J\\e]0;title\\a done\"}\n")
    ok(readmit("run", "noted.yaml", "-r", "1", "--out", "out", cwd=work))
    events = read(work / "out" / "events.csv", "rb").decode("utf-8")
    notes = [line.split(",", 5)[5] for line in events.splitlines() if ",timeline," in line]
    assert len(notes) == 5, events
    for note in notes:
        unquoted = note.strip('"')
        assert unquoted[:1] not in ("=", "+", "-", "@"), note
    assert "\x1b" not in events and "\x07" not in events
    assert any("HYPERLINK" in n for n in notes) and any("clear" in n and "done" in n for n in notes)


def test_16_free_text_labels_of_an_experiment_are_neutralised(work):
    write(work / "labels.yaml",
          "scenario: base.yaml\nreplications: 1\n"
          "uncertainties:\n  description: [\"=1+1\", \"@cmd\", \"-cmd|x\"]\ndesign: {method: grid}\n")
    ok(readmit("experiment", "labels.yaml", "--out", "out", cwd=work))
    points = read(work / "out" / "points.csv", "rb").decode("utf-8")
    for line in points.splitlines()[1:]:
        value = line.split(",", 1)[1].strip('"')
        assert value[:1] not in ("=", "+", "-", "@"), line


# 17 ------------------------------------------------------------------------


@pytest.mark.parametrize("command,file", [("sweep", "sweep.yaml"), ("experiment", "experiment.yaml")])
def test_17_an_estimate_refuses_what_cannot_fit(work, command, file):
    write(work / "huge.yaml", "extends: base.yaml\nname: huge\nhorizon_months: 1200\npartners:\n  alpha:\n"
          "    population: {inflow_per_month: 1000000}\n")
    huge = ("scenario: huge.yaml\nreplications: 1\n" +
            ("grid:\n" if command == "sweep" else "design: {method: grid}\nuncertainties:\n") +
            "  partners.alpha.population.docket_at_start: [5, 10]\n")
    write(work / "huge_run.yaml", huge)
    result = readmit(command, "huge_run.yaml", "-t", "1", "--out", "out", cwd=work, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "needs about" in result.stderr and "of memory" in result.stderr
    assert not os.path.exists(work / "out")
    limited = readmit(command, file, "-t", "1", "--max-memory", "1M", "--out", "out", cwd=work, timeout=60)
    assert limited.returncode == 2, limited.stdout + limited.stderr
    assert "more than --max-memory" in limited.stderr
    assert not os.path.exists(work / "out")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
