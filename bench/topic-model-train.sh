#!/usr/bin/env bash
# Trains the topic model on a CSV of labelled appeals (columns id,user,title,time,content,label;
# title, content and label are required), optionally with a words-only CSV (row,words,label), and
# writes the model file (see src/main/java/appealhub/classify/model/TopicModelTrainer.java and
# docs/classification.md).
#
#   bench/topic-model-train.sh            # the committed model: ../shared/data extra.csv + segmented.csv
#   bench/topic-model-train.sh [--data ../shared/data/leaderboard-messages.extra.csv] \
#       [--segmented ../shared/data/leaderboard-messages.segmented.csv|none] \
#       [--out config/model/topic-model.tsv.gz] [--settings c=0.5,title=3]
#
# Without --data, the shared segmented file is added; with --data, only if --segmented names it.
#
# --settings overrides the committed choice key by key (comma-separated key=value; see ModelSettings).
# HUB_BUILD_DIR=/tmp/x moves Maven's target dir (to build beside a running hub).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" topic-model-train compile appealhub.classify.model.TopicModelTrainer "$@"
