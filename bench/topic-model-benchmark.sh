#!/usr/bin/env bash
# Cost of one topic-model classification (see src/test/java/appealhub/classify/model/TopicModelBenchmark.java):
# real messages, warm-up, each predict timed; prints median, p90, p99, max, mean.
#
#   bench/topic-model-benchmark.sh [--model config/model/topic-model.tsv.gz] \
#       [--data ../shared/data/leaderboard-messages.train.csv] [--warmup 20000] [--iterations 50000]
#
# HUB_BUILD_DIR=/tmp/x moves Maven's target dir (to build beside a running hub).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" topic-model-benchmark test appealhub.classify.model.TopicModelBenchmark "$@"
