#!/usr/bin/env bash
# Lint: clang-format must leave every C++ file as it is, and clang-tidy
# (the checks in .clang-tidy, warnings as errors) must find nothing in the
# library and the tool. Needs a configured build for compile_commands.json:
#   scripts/lint.sh [BUILD_DIR]     (default: build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
[[ -f "$build/compile_commands.json" ]] || { echo "lint: no $build/compile_commands.json (configure first)" >&2; exit 2; }

mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
echo "lint: clang-format on ${#sources[@]} files" >&2
clang-format --dry-run --Werror "${sources[@]}"

mapfile -t units < <(git ls-files 'sim/*.cpp')
echo "lint: clang-tidy on ${#units[@]} files" >&2
# -Wno-unknown-warning-option: the build's GCC-only flags mean nothing to clang.
printf '%s\n' "${units[@]}" |
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option
echo "lint: clean" >&2
