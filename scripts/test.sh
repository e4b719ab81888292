#!/usr/bin/env bash
# Installs what is missing, builds with a CMake preset (default: release) and
# runs the whole test suite. Exits non-zero when any test fails.
#   scripts/test.sh [PRESET]     PRESET: release, debug, asan-ubsan, tsan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}

scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)"
