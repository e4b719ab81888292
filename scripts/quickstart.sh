#!/usr/bin/env bash
# Installs what is missing, builds readmit (release), makes `import readmit`
# work for /usr/bin/python3, and runs the default scenario (its own 200
# replications) with its report. Extra arguments go to `readmit run`
# (e.g. --replications 50).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

# The Python module lives in build/release/python: a .pth file in the user's
# site-packages puts it on Debian's python3 path (remove the file to undo).
if [[ -d build/release/python/readmit ]]; then
  site=$(/usr/bin/python3 -m site --user-site)
  mkdir -p "$site"
  echo "$PWD/build/release/python" >"$site/readmit.pth"
  echo "python: import readmit works with /usr/bin/python3 ($site/readmit.pth -> build/release/python)"
fi

build/release/readmit run scenarios/cambodia_2017.yaml --out results/cambodia_2017 --report "$@"
echo "Open file://$PWD/results/cambodia_2017/report.html in a browser."
