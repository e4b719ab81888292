#!/usr/bin/env bash
# Fuzzes experiment and sweep loading (tests/fuzz/fuzz_experiment.cpp) for
# SECONDS, with the seeds of tests/fuzz/experiment_seeds, the shipped
# experiments and sweeps; called by scripts/fuzz.sh once the `fuzz` preset is
# built. Exits non-zero on a crash, hang, leak or unexpected exception and
# says where the input was saved.
#   tests/fuzz/fuzz_experiment.sh SECONDS
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=$1
fuzzer=build/fuzz/tests/fuzz/fuzz_experiment
work=$(mktemp -d "${TMPDIR:-/tmp}/readmit-fuzz-experiment.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/seeds" "$work/corpus"
cp tests/fuzz/experiment_seeds/*.yaml "$work/seeds/"
for file in scenarios/experiments/*.yaml scenarios/sweeps/*.yaml; do cp "$file" "$work/seeds/shipped_$(basename "$file")"; done
mkdir -p build/fuzz/artifacts
artifacts=$(mktemp -d build/fuzz/artifacts/experiment-XXXXXX)
echo "fuzz_experiment: $seconds s on $(find "$work/seeds" -type f | wc -l) seed files" >&2
set +e
UBSAN_OPTIONS=print_stacktrace=1 "$fuzzer" "$work/corpus" "$work/seeds" \
  -dict=tests/fuzz/experiment.dict -max_len=16384 -timeout=5 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" 2>&1 |
  grep --line-buffered -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE) |^[[:space:]]+NEW_FUNC|# Uses: [0-9]+$'
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 ]]; then
  echo "fuzz_experiment: FAILED (exit $status); the failing input is saved in $artifacts/:" >&2
  find "$artifacts" -type f -printf '  %p\n' >&2
  exit 1
fi
rmdir "$artifacts" 2>/dev/null || true
