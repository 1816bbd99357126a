#!/usr/bin/env bash
# Precision and recall of the near-duplicate merge decision on a labelled set built from the
# real messages in ../shared/data (see src/test/java/appealhub/merge/MergeEvaluation.java).
#
#   bench/merge-evaluation.sh [--seed 42] [--variants 3]
#
# Env: HUB_BUILD_DIR moves Maven's target dir (default target/); HUB_SHARED_DATA the data dir.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do
  case "$arg" in
    *[[:space:]]*) echo "merge-evaluation: arguments must not contain spaces: '$arg'" >&2; exit 2 ;;
  esac
done
exec ./mvnw -q -B test-compile exec:java \
  ${HUB_BUILD_DIR:+-Dhub.build.dir=$HUB_BUILD_DIR} \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=appealhub.merge.MergeEvaluation \
  "-Dexec.args=$*"
