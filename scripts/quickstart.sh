#!/usr/bin/env bash
# Installs what is missing, builds readmit (release) and runs the default
# scenario. Extra arguments go to `readmit run` (e.g. --replications 50).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
build/release/readmit run scenarios/cambodia_2017.yaml --out results/cambodia_2017 "$@"
