#!/usr/bin/env bash
# Fails when a main-source Java file of a library module passes 700 lines: past ~500 a class is
# asking to be split into named collaborators, and 700 is the hard limit (issue 15).
set -euo pipefail
cd "$(dirname "$0")/.."
limit=700
over="$(find mpp-*/src/main -name '*.java' -print0 | xargs -0 wc -l | grep -v ' total$' \
  | awk -v limit="$limit" '$1 > limit {print "  " $2 ": " $1 " lines"}')"
if [[ -n "$over" ]]; then
  echo "file-sizes: main-source files over $limit lines:" >&2
  echo "$over" >&2
  exit 1
fi
echo "file-sizes: no main-source file of a library module over $limit lines"
