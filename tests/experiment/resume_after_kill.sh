#!/usr/bin/env bash
# An experiment killed with SIGKILL while it runs, then run again with the
# same command, writes the same bytes as an uninterrupted run (every file
# but metadata.json, which records times and command lines).
#   tests/experiment/resume_after_kill.sh READMIT SOURCE_DIR WORK_DIR
set -euo pipefail
readmit=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
experiment="$source/tests/experiment/cambodia_policies_tiny.yaml"

"$readmit" experiment "$experiment" -t 1 --out "$work/whole" >/dev/null

"$readmit" experiment "$experiment" -t 1 --out "$work/killed" >/dev/null &
pid=$!
# Kill it once a few points are done, while others are being written.
for _ in $(seq 1 600); do
  [[ -e "$work/killed/points/0004/metadata.json" ]] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
done_before=$(find "$work/killed/points" -name metadata.json | wc -l)
if [[ -e "$work/killed/metadata.json" ]]; then
  echo "FAIL: the run finished before it could be killed; nothing was tested" >&2
  exit 1
fi
"$readmit" experiment "$experiment" -t 1 --out "$work/killed" >"$work/rerun.txt"
grep -q "done earlier" "$work/rerun.txt"
# Hidden temporaries of the killed run may remain; the outputs are the visible files.
if ! diff -r -x metadata.json -x '.*' "$work/whole" "$work/killed" >"$work/diff.txt"; then
  echo "FAIL: the resumed experiment differs from an uninterrupted one:" >&2
  head -20 "$work/diff.txt" >&2
  exit 1
fi
echo "killed after $done_before of 24 points; the rerun finished with the same bytes"

# The database answers pandas.read_sql (Debian's interpreter: scripts/setup.sh).
/usr/bin/python3 - "$work/killed/experiment.sqlite" <<'PY'
import sqlite3, sys
import pandas as pd
db = sqlite3.connect(sys.argv[1])
d = pd.read_sql("select p.*, d.alternative, d.difference_mean from differences d join points p using (point) "
                "where d.metric = ? and d.partner = ?", db, params=("removals_from_2018", "all"))
assert len(d) == 24 * 3, len(d)
assert "partners.cambodia.agreement.document_officers" in d.columns, list(d.columns)
s = pd.read_sql("select * from sensitivity where \"index\" = 'sobol_total'", db)
assert len(s) > 0 and s["value"].notna().any()
print(f"pandas.read_sql: {len(d)} paired differences joined with their points, {len(s)} total Sobol indices")
PY
