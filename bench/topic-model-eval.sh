#!/usr/bin/env bash
# Evaluates the topic model (see src/main/java/appealhub/classify/model/TopicModelEvaluator.java):
#
#   bench/topic-model-eval.sh                       repeated stratified k-fold CV of the committed settings,
#                                                   measured on the raw messages (extra.csv; words-only rows
#                                                   of segmented.csv in training, their twins of a test row left
#                                                   out): macro-F1, accuracy, log-loss, ECE (mean ± sd over
#                                                   seeds), a per-class table and the triage threshold that
#                                                   config/model/triage-costs.properties implies
#   bench/topic-model-eval.sh --k 10 --seeds 1,2,3  other folds / seeds
#   bench/topic-model-eval.sh --settings learner=lr,c=300      CV of other settings
#   bench/topic-model-eval.sh --compare             the feature x learner comparison grid
#   bench/topic-model-eval.sh --grid 'c=0.25|c=1'   a grid of your own (settings separated by |)
#   bench/topic-model-eval.sh --test cases.csv      the committed model (or --model FILE) on any labelled CSV
#   bench/topic-model-eval.sh --test cases.csv --fresh   a model trained now on --data, on that CSV
#   bench/topic-model-eval.sh --overlap             how words-only rows match raw rows (the twin threshold's histogram)
#
# --data CSV chooses the raw training file (default ../shared/data/leaderboard-messages.extra.csv);
# --segmented CSV|none the words-only file (default ../shared/data/leaderboard-messages.segmented.csv when
# --data is the default, else none); --costs FILE the cost table (default config/model/triage-costs.properties).
# Runs on the test classpath, where the SmartCN segmenter (words=smartcn) is available.
# HUB_BUILD_DIR=/tmp/x moves Maven's target dir (to build beside a running hub).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" topic-model-eval test appealhub.classify.model.TopicModelEvaluator "$@"
