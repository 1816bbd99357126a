#!/usr/bin/env bash
# Operations reads on a year of data against a small database in the same run, each against its
# target (issue 16, item 3; src/test/java/appealhub/bench/YearBench.java): dashboard, metrics
# refresh, case search per field, daily report, merge index reload and heap.
#
#   bench/year-of-data.sh --db h2:/tmp/perf/big/hub --cases 1000000
#   bench/year-of-data.sh --db h2:/tmp/perf/small/hub --cases 2000
#   bench/year-bench.sh --db h2:/tmp/perf/big/hub --baseline h2:/tmp/perf/small/hub [--runs 5] [--merge-since window|all]
#
# pg:<jdbc-url> works for both. --merge-since all loads every merge_index row (the heap at N cases).
set -euo pipefail
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx${YEAR_HEAP:-4g}"
exec "$(dirname "$0")/run-main.sh" year-bench test appealhub.bench.YearBench "$@"
