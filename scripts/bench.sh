#!/usr/bin/env bash
# The benchmark harness in one command: builds the release preset, runs every
# workload (scenarios/bench/us_docket.yaml, the Cambodia ensemble, the
# 20-partner workload) at 1 to every core, and writes bench/results.json and
# the table of bench/README.md for this machine. Not part of the tests.
#   scripts/bench.sh [--runs N] [--quick]     (--quick: one run each, for a smoke test)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target readmit
exec /usr/bin/python3 scripts/bench.py --readmit build/release/readmit "$@"
