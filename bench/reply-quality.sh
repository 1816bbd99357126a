#!/usr/bin/env bash
# Calibration of the reply check (验收, docs/reply-quality.md) on the 2,816 real official replies of
# ../shared/data/leaderboard-replies.full.csv: distribution of scores, share held, reasons; with
# --labels, precision and recall of the flag on a labelled sample.
#
#   bench/reply-quality.sh [--labels bench/labels/reply-quality-sample.csv] [--min-score 45] [--min-relevance 0.10]
#   bench/reply-quality.sh --sample 100 --seed 15      (a seeded sample to label, as CSV)
#
# Env: HUB_BUILD_DIR moves Maven's target dir (default target/); HUB_SHARED_DATA the data dir.
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" reply-quality test appealhub.reply.ReplyQualityBench "$@"
