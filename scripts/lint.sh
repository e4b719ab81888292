#!/usr/bin/env bash
# Lint: no C++ file includes a path that climbs out of its folder
# (`#include "../`: a module's target only sees its own headers and those
# of the modules below it, cmake/ReadmitModule.cmake, and a relative path
# would walk around that fence); clang-format must leave every C++ file as
# it is; and clang-tidy (the checks in .clang-tidy, warnings as errors) must
# find nothing in the library and the tool. Needs a configured build for compile_commands.json:
#   scripts/lint.sh [BUILD_DIR]     (default: build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
[[ -f "$build/compile_commands.json" ]] || { echo "lint: no $build/compile_commands.json (configure first)" >&2; exit 2; }

mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
echo "lint: relative includes in ${#sources[@]} files" >&2
if climbing=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./' "${sources[@]}"); then
  echo "$climbing" >&2
  echo "lint: an include climbs out of its folder; include by module path (\"readmit/MODULE/x.hpp\", tests: \"FOLDER/x.hpp\")" >&2
  exit 1
fi
echo "lint: clang-format on ${#sources[@]} files" >&2
clang-format --dry-run --Werror "${sources[@]}"

mapfile -t units < <(git ls-files 'sim/*.cpp')
echo "lint: clang-tidy on ${#units[@]} files" >&2
# -Wno-unknown-warning-option: the build's GCC-only flags mean nothing to clang.
printf '%s\n' "${units[@]}" |
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option
echo "lint: clean" >&2
