#!/usr/bin/env bash
# Fuzzes readmit's input parsers with libFuzzer under AddressSanitizer +
# UndefinedBehaviorSanitizer for SECONDS in all (default 60), shared equally
# by the targets: scenario loading (tests/fuzz/fuzz_scenario.cpp), the --set
# parser (tests/fuzz/fuzz_set.cpp) and experiment and sweep files
# (tests/fuzz/fuzz_experiment.cpp). Installs what is missing, builds the
# `fuzz` preset, seeds a temporary corpus per target and runs them one after
# another. Exits non-zero on a crash, hang, leak or an exception other than
# ScenarioError, and prints where the input that caused it was saved (under
# build/fuzz/artifacts/).
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

# Each target: its name, its dictionary, then the files that seed its corpus.
targets=(
  "fuzz_scenario tests/fuzz/scenario.dict scenarios/*.yaml tests/scenario/valid/*.yaml tests/scenario/malformed/*.yaml"
  "fuzz_set tests/fuzz/scenario.dict tests/fuzz/set_seeds/*"
  "fuzz_experiment tests/fuzz/experiment.dict tests/fuzz/experiment_seeds/*.yaml scenarios/experiments/*.yaml scenarios/sweeps/*.yaml"
)
share=$(( seconds / ${#targets[@]} ))
(( share >= 1 )) || share=1

# Corpora live and die in a temporary folder; only failing inputs are kept.
work=$(mktemp -d "${TMPDIR:-/tmp}/readmit-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p build/fuzz/artifacts
artifacts=$(mktemp -d build/fuzz/artifacts/run-XXXXXX)

failed=0
for target in "${targets[@]}"; do
  read -r name dictionary seeds <<<"$target"
  fuzzer=build/fuzz/tests/fuzz/$name
  mkdir -p "$work/$name/seeds" "$work/$name/corpus" "$artifacts/$name"
  # shellcheck disable=SC2086  # the seed patterns are globs
  cp $seeds "$work/$name/seeds/"
  echo "fuzz: $name for $share s on $(find "$work/$name/seeds" -type f | wc -l) seed files" >&2
  # Lines about new coverage (NEW, REDUCE, NEW_FUNC) and the recommended
  # dictionary are left out; sanitizer reports, progress and statistics stay.
  set +e
  UBSAN_OPTIONS=print_stacktrace=1 "$fuzzer" "$work/$name/corpus" "$work/$name/seeds" \
    -dict="$dictionary" -max_len=65536 -timeout=5 -rss_limit_mb=2048 \
    -max_total_time="$share" -print_final_stats=1 -artifact_prefix="$artifacts/$name/" 2>&1 |
    grep --line-buffered -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE) |^[[:space:]]+NEW_FUNC|# Uses: [0-9]+$'
  status=${PIPESTATUS[0]}
  set -e
  if [[ $status -ne 0 ]]; then
    echo "fuzz: $name FAILED (exit $status); the failing input is saved in $artifacts/$name/:" >&2
    find "$artifacts/$name" -type f -printf '  %p\n' >&2
    echo "fuzz: reproduce with: $fuzzer FILE; shrink with: $fuzzer -minimize_crash=1 -runs=10000 FILE" >&2
    failed=1
  else
    rmdir "$artifacts/$name"
    echo "fuzz: $name: no failure in $share s ($(find "$work/$name/corpus" -type f | wc -l) new corpus inputs)" >&2
  fi
done
[[ $failed -eq 0 ]] || exit 1
rmdir "$artifacts" 2>/dev/null || true
