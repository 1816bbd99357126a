#!/usr/bin/env bash
# The top costs of a flight recording (src/test/java/appealhub/bench/JfrTop.java): CPU samples by
# thread group, self and inclusive methods:  bench/jfr-top.sh rec.jfr [top 25] [inclusive prefix]
# where some threads waited (broker round trips, H2 commits, syncs):  bench/jfr-top.sh rec.jfr waits "JmsConsumer[hub.intake]" [top]
# Record one with BENCH_JFR=rec.jfr bench/push-benchmark.sh --baseline ...
set -euo pipefail
cd "$(dirname "$0")/.."
build=${HUB_BUILD_DIR:-target}   # HUB_BUILD_DIR: the build dir (-Dhub.build.dir) instead of target
[ -f "$build/test-classes/appealhub/bench/JfrTop.class" ] || ./mvnw -q -B ${HUB_BUILD_DIR:+-Dhub.build.dir=$HUB_BUILD_DIR} test-compile
exec java -cp "$build/test-classes" appealhub.bench.JfrTop "$@"
