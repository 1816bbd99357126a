#!/usr/bin/env bash
# Cost of one topic-model classification (see src/test/java/appealhub/classify/model/TopicModelBenchmark.java):
# real messages, warm-up, each predict timed; prints median, p90, p99, max, mean, against a same-run
# baseline (--baseline FILE: an older model, e.g. `git show <rev>:config/model/topic-model.tsv.gz > /tmp/old.tsv.gz`;
# without it, the text cleaning and n-gram extraction alone) and the ratio; then the whole placement.
#
#   bench/topic-model-benchmark.sh [--model config/model/topic-model.tsv.gz] [--baseline /tmp/old.tsv.gz] \
#       [--data ../shared/data/leaderboard-messages.extra.csv] [--warmup 20000] [--iterations 50000]
#
# HUB_BUILD_DIR=/tmp/x moves Maven's target dir (to build beside a running hub).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" topic-model-benchmark test appealhub.classify.model.TopicModelBenchmark "$@"
