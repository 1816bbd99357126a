#!/usr/bin/env bash
# Cluster run: the production set-up on this machine (hub instances from the jar, one PostgreSQL
# database on 127.0.0.1:5432 with trust auth, a standalone Artemis of the hub's version that
# the build unpacks into target/artemis), in two parts:
#
#   bench/cluster.sh throughput [--orders 1200 --warm-up 150 --threads 8 --instances 1,3]
#       signed 12345 pushes spread over the instances as fast as the clients go; prints pushes
#       answered/s and appeals placed/s for each instance count, and the ratio to the first
#       (src/test/java/appealhub/bench/ClusterThroughput.java);
#   bench/cluster.sh chaos [--instances 3 --broker pair --duration 60 --kills 4 --push-threads 1
#                           --settle 240 --seed 42 ...]
#       the chaos run (bench/chaos.sh) with several instances on the production profile and the
#       Artemis live/backup pair of deploy/artemis (pair.sh): all six channels spread over the
#       instances, each kill -9 hits the next instance while the others carry on, and the middle
#       kill is the live broker's (the backup takes over); the same end counts (0 lost, 0 stuck,
#       0 duplicate tasks, 0 missing or duplicate feedback) decide PASS. One 12345 push client and a
#       long settle: on 2 cores three hubs, PostgreSQL, two brokers and the driver share the CPU,
#       and a heavier load leaves feedback queued (late, not lost) when the figures are read.
#
# Without a part, both run (throughput first). Exit 0 = PASS, 1 = FAIL, 2 = could not run.
# CLUSTER_SKIP_BUILD=1 uses the jar and classes already built.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=target/chaos-classpath.txt
if [ "${CLUSTER_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B package -DskipTests
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi
[ -f target/appeal-hub-0.1.0-SNAPSHOT.jar ] || { echo "cluster: target/appeal-hub-0.1.0-SNAPSHOT.jar missing (build first)" >&2; exit 2; }
[ -f "$cp_file" ] || ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
cp="target/test-classes:target/classes:$(cat "$cp_file")"
part="${1:-all}"
[ $# -gt 0 ] && shift
case "$part" in
  throughput) exec java -cp "$cp" appealhub.bench.ClusterThroughput "$@" ;;
  chaos) exec java -cp "$cp" appealhub.bench.ChaosRun --profile production --instances 3 --broker pair --port 18400 \
           --broker-port 18461 --mock-port 18489 --duration 60 --kills 4 --push-threads 1 --settle 240 "$@" ;;
  all)
    java -cp "$cp" appealhub.bench.ClusterThroughput
    exec java -cp "$cp" appealhub.bench.ChaosRun --profile production --instances 3 --broker pair --port 18400 \
      --broker-port 18461 --mock-port 18489 --duration 60 --kills 4 --push-threads 1 --settle 240 ;;
  *) echo "cluster: unknown part $part (throughput | chaos)" >&2; exit 2 ;;
esac
