#!/usr/bin/env bash
# Pushes N signed 12345 work orders at a running hub and prints figures
# (see src/test/java/appealhub/bench/PushBenchmark.java). The hub must already be running.
#
#   bench/push-benchmark.sh --url http://127.0.0.1:8080 --n 1000 --concurrency 8 \
#       --secret demo-secret-change-me --timeout 300
#
# Options (all optional, defaults shown): --url http://127.0.0.1:8080, --n 1000,
# --concurrency 8, --secret demo-secret-change-me, --timeout 300 (seconds to wait, from the
# first push, until every new case has left RECEIVED), --samples mocks/hotline12345/sample-orders.json,
# --ops-login viewer:viewer-demo (an operations login that may read GET /ops/stats).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" push-benchmark test appealhub.bench.PushBenchmark "$@"
