#!/usr/bin/env bash
# Fuzzes scenario loading (tests/fuzz/fuzz_scenario.cpp) with libFuzzer under
# AddressSanitizer + UndefinedBehaviorSanitizer for SECONDS (default 60):
# installs what is missing, builds the `fuzz` preset, seeds a temporary corpus
# with the shipped, valid and malformed scenarios and runs. Exits non-zero on a
# crash, hang, leak or an exception other than ScenarioError, and prints where
# the input that caused it was saved (under build/fuzz/artifacts/).
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]   (a whole number of seconds, default 60)" >&2
  exit 2
fi

scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
fuzzer=build/fuzz/tests/fuzz/fuzz_scenario
experiment_seconds=$((seconds > 1 ? seconds / 4 + 1 : 1)); seconds=$((seconds > experiment_seconds ? seconds - experiment_seconds : 1)); tests/fuzz/fuzz_experiment.sh "$experiment_seconds"  # about a quarter of the budget

# The corpus lives and dies in a temporary folder; only failing inputs are kept.
work=$(mktemp -d "${TMPDIR:-/tmp}/readmit-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/seeds" "$work/corpus"
cp scenarios/*.yaml tests/scenario/valid/*.yaml tests/scenario/malformed/*.yaml "$work/seeds/"
mkdir -p build/fuzz/artifacts
artifacts=$(mktemp -d build/fuzz/artifacts/run-XXXXXX)

echo "fuzz: $seconds s on $(find "$work/seeds" -type f | wc -l) seed files" >&2
# Lines about new coverage (NEW, REDUCE, NEW_FUNC) and the recommended
# dictionary are left out; sanitizer reports, progress and statistics stay.
set +e
UBSAN_OPTIONS=print_stacktrace=1 "$fuzzer" "$work/corpus" "$work/seeds" \
  -dict=tests/fuzz/scenario.dict -max_len=65536 -timeout=5 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" 2>&1 |
  grep --line-buffered -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE) |^[[:space:]]+NEW_FUNC|# Uses: [0-9]+$'
status=${PIPESTATUS[0]}
set -e

if [[ $status -ne 0 ]]; then
  echo "fuzz: FAILED (exit $status); the failing input is saved in $artifacts/:" >&2
  find "$artifacts" -type f -printf '  %p\n' >&2
  echo "fuzz: reproduce with: $fuzzer FILE; shrink with: $fuzzer -minimize_crash=1 -runs=10000 FILE" >&2
  exit 1
fi
rmdir "$artifacts" 2>/dev/null || true
echo "fuzz: no failure in $seconds s ($(find "$work/corpus" -type f | wc -l) new corpus inputs)" >&2
