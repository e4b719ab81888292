#!/usr/bin/env bash
# `mpirun -n 3` writes the same bytes as one process, for an experiment, a
# sweep and a run (every file but metadata.json, which records times, ranks
# and command lines). CI runs as root: hence --allow-run-as-root.
#   tests/experiment/same_bytes_on_mpi.sh READMIT SOURCE_DIR WORK_DIR
set -euo pipefail
readmit=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
# Open MPI does not free what MPI_Init allocates: in sanitizer builds, leak
# checks are left to the single-process tests.
mpirun=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" mpirun -n 3 --oversubscribe --allow-run-as-root)
experiment="$source/tests/experiment/cambodia_policies_tiny.yaml"
sweep="$work/sweep.yaml"
cat >"$sweep" <<YAML
scenario: $source/scenarios/cambodia_2017.yaml
replications: 2
seed: 3
latin_hypercube:
  samples: 5
  ranges:
    partners.cambodia.agreement.document_officers: {min: 10, max: 40}
outcomes: [removals]
keep: [replications, timeseries]
YAML
scenario="$source/scenarios/cambodia_2017.yaml"

compare() {  # every file but metadata.json (and the folder lock .readmit) must be identical
  if ! diff -r -x metadata.json -x .readmit "$1" "$2" >"$work/diff.txt"; then
    echo "FAIL: $1 and $2 differ:" >&2
    head -20 "$work/diff.txt" >&2
    exit 1
  fi
  echo "same bytes: $(basename "$1") and $(basename "$2") ($(find "$1" -type f | wc -l) files)"
}

"$readmit" experiment "$experiment" -t 1 --out "$work/experiment_1" >/dev/null
"${mpirun[@]}" "$readmit" experiment "$experiment" -t 1 --out "$work/experiment_3" >/dev/null
grep -q '"processes": "MPI, 3 ranks (2 workers)"' "$work/experiment_3/metadata.json"
compare "$work/experiment_1" "$work/experiment_3"

"$readmit" sweep "$sweep" -t 1 --out "$work/sweep_1" >/dev/null
"${mpirun[@]}" "$readmit" sweep "$sweep" -t 1 --out "$work/sweep_3" >/dev/null
compare "$work/sweep_1" "$work/sweep_3"

"$readmit" compare "$scenario" "$source/scenarios/cambodia_2017_humanitarian.yaml" -r 30 -t 1 \
  --set horizon_months=30 --out "$work/compare_1" >/dev/null
"${mpirun[@]}" "$readmit" compare "$scenario" "$source/scenarios/cambodia_2017_humanitarian.yaml" -r 30 -t 1 \
  --set horizon_months=30 --out "$work/compare_3" >/dev/null
compare "$work/compare_1" "$work/compare_3"

# An invalid file fails on rank 0 with exit 2 and the workers do not hang.
printf 'scenario: %s\ngrid: {seed: [-1]}\n' "$scenario" >"$work/bad.yaml"
if "${mpirun[@]}" "$readmit" sweep "$work/bad.yaml" --out "$work/bad" >"$work/bad.out" 2>&1; then
  echo "FAIL: an invalid sweep succeeded under mpirun" >&2
  exit 1
fi
grep -q 'grid.seed\|seed: expected' "$work/bad.out"
echo "an invalid sweep fails under mpirun without hanging"
