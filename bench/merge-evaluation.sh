#!/usr/bin/env bash
# Precision and recall of the near-duplicate merge decision on a labelled set built from the
# real messages in ../shared/data (see src/test/java/appealhub/merge/MergeEvaluation.java).
#
#   bench/merge-evaluation.sh [--seed 42] [--variants 3]
#
# Env: HUB_BUILD_DIR moves Maven's target dir (default target/); HUB_SHARED_DATA the data dir.
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" merge-evaluation test appealhub.merge.MergeEvaluation "$@"
