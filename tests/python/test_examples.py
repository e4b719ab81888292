"""examples/ keeps working: the Cambodia policy script on few replications."""
import os
import subprocess
import sys

SOURCE = os.environ["READMIT_SOURCE_DIR"]


def test_cambodia_policy_example(tmp_path):
    result = subprocess.run([sys.executable, os.path.join(SOURCE, "examples", "cambodia_policy.py"),
                             "--replications", "4", "--out", str(tmp_path / "policy")],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "Agreeing to the amendments from January 2017: months under sanction" in result.stdout
    assert os.path.exists(tmp_path / "policy" / "report.html")
