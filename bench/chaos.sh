#!/usr/bin/env bash
# Chaos run: kills the hub with kill -9 while all six channels feed it, restarts it on the same
# data directory, and prints one table: acknowledged items per channel, lost, stuck, duplicate
# tasks, missing or duplicate feedback at the (mock) upstreams, 督查 result rows written twice.
# See src/test/java/appealhub/bench/ChaosRun.java. Exit 0 = PASS, 1 = FAIL, 2 = could not run.
#
#   bench/chaos.sh --duration 60 --kills 5 --settle 90 --seed 42
#
# Options (defaults shown): --duration 60 (seconds of load; longer if the kills need it),
# --kills 5, --settle 90 (seconds after the load before the figures), --seed (random),
# --profile default (embedded Artemis + H2 file) | production (the production profile on a fresh
#   PostgreSQL database on 127.0.0.1:5432, trust auth, and a standalone Artemis of the hub's version
#   from Maven Central, unpacked by the build into target/artemis; only the hub is killed),
# --port 18100 (hub HTTP), --broker-port 18161, --mock-port 18189, --work-dir /tmp/appealhub-chaos-<ms>,
# --merge false (near-duplicate merging; off because the real board texts contain near-duplicates,
# and a merge would make one appeal's feedback depend on another's), --stuck-after 60, --push-threads 3, --start-timeout 120 (seconds for each hub to be healthy; a run that
# cannot start kills the hubs it started and exits 2; restarts after a kill get as long).
# CHAOS_SKIP_BUILD=1 uses the jar and classes already built.
#
# Maven runs at most twice, before the run (package, and the test class path once); the run
# itself is plain java: the hub as `java -jar target/appeal-hub-0.1.0-SNAPSHOT.jar`, the driver
# as `java -cp`.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=target/chaos-classpath.txt
if [ "${CHAOS_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B package -DskipTests
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi
# --profile production: the standalone broker comes from the Artemis distribution of the hub's
# version, which the build unpacks into target/artemis (generate-test-resources).
[ -f target/appeal-hub-0.1.0-SNAPSHOT.jar ] || { echo "chaos: target/appeal-hub-0.1.0-SNAPSHOT.jar missing (build first)" >&2; exit 2; }
[ -f "$cp_file" ] || ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" appealhub.bench.ChaosRun "$@"
