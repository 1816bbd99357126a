#!/usr/bin/env bash
# Hot issues (热点) on real data: the 4,326 leader-board messages with votes of
# ../shared/data/leaderboard-hot.full.csv merged in time order by the merge engine, the top 10
# printed with their heat index (appealhub.merge.HeatIndex, docs/hot-issues.md).
#
#   bench/hot-issues.sh                                      top 10 at the configured thresholds
#   bench/hot-issues.sh --precision-labels bench/labels/merge-pairs-precision.csv \
#                       --recall-labels bench/labels/merge-pairs-recall.csv      + precision/recall and a sweep
#   bench/hot-issues.sh --pairs 200 --seed 15                merged pairs to label (CSV)
#   bench/hot-issues.sh --candidates 150 --seed 15           look-alike pairs not merged, to label (CSV)
#   [--merge-threshold 0.70] [--min-text 0.45]               other thresholds
#
# Env: HUB_BUILD_DIR moves Maven's target dir (default target/); HUB_SHARED_DATA the data dir.
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" hot-issues test appealhub.merge.HotIssuesBench "$@"
