#!/usr/bin/env bash
# Fills a hub database with a year of data (issue 16, item 3): cases, appeals, raw items, case
# events, tasks, feedback and merge index rows, through the schema Flyway creates
# (src/test/java/appealhub/bench/YearOfData.java). H2 by batched inserts, PostgreSQL by COPY.
#
#   bench/year-of-data.sh --db h2:/tmp/perf/hub --cases 1000000
#   bench/year-of-data.sh --db pg:jdbc:postgresql://127.0.0.1:5432/perf16_year?user=postgres --cases 1000000
#
# Options: --cases 100000, --seed 16, --end <ISO instant, default now>, --merge-index window|all
# (rows for the cases within the merge window, or for every case), --data /work/shared/data.
# The database must be new (or empty). Measured at 100k on 2 loaded cores: H2 9 min (200 cases/s,
# ~10 KB of H2 file per case), PostgreSQL 3.5 min (560 cases/s); 1M is ten times that.
set -euo pipefail
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx${YEAR_HEAP:-2g}"
exec "$(dirname "$0")/run-main.sh" year-of-data test appealhub.bench.YearOfData "$@"
