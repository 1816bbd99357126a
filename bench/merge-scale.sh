#!/usr/bin/env bash
# Scale benchmark of the near-duplicate index: 10k, 100k and 1M synthetic cases, per-appeal
# lookup cost (median, p99) and heap at each size, then the restart path (rebuild from table
# merge_index) at 100k and 1M (see src/test/java/appealhub/merge/MergeScaleBenchmark.java).
#
#   bench/merge-scale.sh [--seed 7] [--sizes 10000,100000,1000000] [--db-sizes 100000,1000000|none]
#
# Needs a large heap for 1M cases: MERGE_HEAP (default 12g). Env: HUB_BUILD_DIR moves
# Maven's target dir; HUB_SHARED_DATA the data dir. Takes a few minutes on 2 cores.
set -euo pipefail
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx${MERGE_HEAP:-12g} -XX:+UseParallelGC"
exec "$(dirname "$0")/run-main.sh" merge-scale test appealhub.merge.MergeScaleBenchmark "$@"
