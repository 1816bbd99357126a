#!/usr/bin/env bash
# What the embedded default's WRITE_DELAY=0 buys and costs: a child JVM commits small rows as
# fast as it can and is killed with -9; committed rows missing afterwards were lost. Runs the
# default write delay (baseline) and WRITE_DELAY=0 (the hub's setting) in one run and prints
# committed, found, lost, µs per commit and the cost ratio
# (src/test/java/appealhub/bench/H2DurabilityBenchmark.java).
#
#   bench/h2-durability.sh [run-ms, default 3000]
#
# Env: HUB_BUILD_DIR moves Maven's target dir (to build beside a running hub).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" h2-durability test appealhub.bench.H2DurabilityBenchmark "$@"
