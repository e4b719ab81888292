#!/usr/bin/env bash
# docs/calibration.md and docs/validation.md are what scripts/calibrate.py
# (from the saved fits in docs/fits/) and scripts/validation.py produce with
# the current binary: a renamed parameter, a changed mechanism or a stale fit
# shows as a difference here.
#   generated_docs.sh PYTHON READMIT SOURCE_DIR WORK_DIR [refit]
# With `refit` the fits themselves are redone first (an hour or more; run on
# demand: ctest -L refit) into WORK_DIR, and the documents compared are those
# the new fits give.
set -euo pipefail
python=$1 readmit=$2 source=$3 work=$4 mode=${5:-check}
rm -rf "$work" && mkdir -p "$work"
fits="$source/docs/fits"
if [ "$mode" = refit ]; then
  fits="$work/fits"
  cp -r "$source/docs/fits" "$fits"
  "$python" "$source/scripts/calibrate.py" --readmit "$readmit" --out "$work/calibration" --fits "$fits" \
    --doc "$work/calibration.md"
fi
"$python" "$source/scripts/calibrate.py" --readmit "$readmit" --report-only --out "$work/calibration" \
  --fits "$fits" --doc "$work/calibration.md"
"$python" "$source/scripts/validation.py" --readmit "$readmit" --fits "$fits" --out "$work/validation" \
  --doc "$work/validation.md"
status=0
for doc in calibration validation; do
  if ! diff -u "$source/docs/$doc.md" "$work/$doc.md" > "$work/$doc.diff"; then
    echo "docs/$doc.md differs from what the scripts produce now (first lines of the difference):"
    head -40 "$work/$doc.diff"
    status=1
  fi
done
[ $status -eq 0 ] && echo "docs/calibration.md and docs/validation.md are current"
exit $status
