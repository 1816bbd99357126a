#!/usr/bin/env bash
# The push benchmark (src/test/java/appealhub/bench/PushBenchmark.java): offers N appeals to a hub
# (signed 12345 pushes; optionally mini-program pushes and grid JMS reports), consumes the
# department, township and triage queues itself, and prints answers/s, answer p50/p99,
# push→queue p50/p99 and appeals placed/s end to end.
#
# One command, everything in the same run (ports 18300-18399):
#   bench/push-benchmark.sh --baseline [--rate 500 | --concurrency 8] [--n 2000] [--miniprogram 0.1 --grid 0.1]
# builds the jar, measures the raw broker (bench/broker-baseline.sh: Artemis' own perf client,
# durable 2 KB, 100 in flight), starts the product jar on the default profile with a fresh data
# directory (target/bench/hub) and its own ports (http 18300, broker 18316), runs the load, prints
# the figures and the ratio end-to-end / raw broker, and stops the jar.
#   BENCH_SKIP_BUILD=1   use the jar and classes already built (BENCH_JAR=other.jar: that jar)
#   BENCH_JFR=file.jfr   record the hub with Java Flight Recorder (settings=profile) while the load runs
#   BENCH_HUB_OPTS="..." JVM options for the hub (default -Xmx1g); BENCH_HUB_ARGS="--a=b ..." more hub settings
#   BENCH_PORT_BASE=19900 another port block (http base, broker base+16, mocks base+89, raw broker base+61)
#   HUB_BUILD_DIR=/tmp/x  build dir (-Dhub.build.dir) for the jar, classes and bench files instead of target
# The hub's per-source push rate limit (hub.push.rate-limit: 20/s per address) is switched off for
# the run: the whole load comes from one address.
#
# Against a hub already running (no --baseline):
#   bench/push-benchmark.sh --url http://127.0.0.1:8080 --broker-url tcp://127.0.0.1:61616 --n 2000 --rate 500
#
# Options (defaults): --url http://127.0.0.1:8080, --n 2000, --rate 0 (0: closed loop), --concurrency 8,
# --max-in-flight 2000, --miniprogram 0, --grid 0 (fractions of N), --texts ../shared/data/leaderboard-messages.extra.csv,
# --samples FILE (the old repeating JSON samples instead of the texts), --timeout 300, --secret demo-secret-change-me,
# --broker-url tcp://127.0.0.1:61616, --ops-login viewer:viewer-demo, --consume true, --baseline-rate 0.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${HUB_BUILD_DIR:-target}
mvn=(./mvnw -q -B ${HUB_BUILD_DIR:+-Dhub.build.dir=$HUB_BUILD_DIR})
cp_file=$build/bench-classpath.txt
if [ "${1:-}" != "--baseline" ]; then
  [ -f "$cp_file" ] || "${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
  "${mvn[@]}" test-compile
  exec java -cp "$build/test-classes:$build/classes:$(cat "$cp_file")" appealhub.bench.PushBenchmark "$@"
fi
shift
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  "${mvn[@]}" package -DskipTests
  "${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
fi
jar=${BENCH_JAR:-$build/appeal-hub-0.1.0-SNAPSHOT.jar}
[ -f "$jar" ] || { echo "push-benchmark: $jar missing (build first)" >&2; exit 2; }
[ -f "$cp_file" ] || "${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
mkdir -p "$build/bench"
base=${BENCH_PORT_BASE:-18300}

echo "== raw broker (same run) =="
baseline_line=$(bench/broker-baseline.sh --port $((base + 61)) | tee /dev/stderr | tail -1)
baseline=$(echo "$baseline_line" | sed -n 's/^broker-baseline: \([0-9]*\) msg\/s.*/\1/p')

echo "== hub: $jar (default profile, fresh $build/bench/hub) =="
rm -rf "$build/bench/hub"
# shellcheck disable=SC2086
java ${BENCH_HUB_OPTS:--Xmx1g} -jar "$jar" --server.port=$base --hub.broker.port=$((base + 16)) \
  --hub.broker.amqp-port=0 --hub.broker.stomp-port=0 --hub.demo.mock-port=$((base + 89)) --hub.data-dir="$(realpath -m "$build/bench/hub")" \
  --hub.push.rate-limit.enabled=false ${BENCH_HUB_ARGS:-} > "$build/bench/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do # up to 10 minutes (a loaded machine starts it slowly)
  curl -sf --max-time 5 -u viewer:viewer-demo http://127.0.0.1:$base/ops/stats >/dev/null 2>&1 && break
  kill -0 $hub 2>/dev/null || { echo "push-benchmark: the hub did not start ($build/bench/hub.log)" >&2; exit 2; }
  sleep 0.5
done
curl -sf --max-time 5 -u viewer:viewer-demo http://127.0.0.1:$base/ops/stats >/dev/null || { echo "push-benchmark: the hub did not answer in 10 minutes" >&2; exit 2; }

echo "== load =="
# the recording covers the load only, not the start-up
[ -n "${BENCH_JFR:-}" ] && jcmd $hub JFR.start name=bench settings=profile "filename=$(realpath -m "$BENCH_JFR")" >/dev/null
set +e
java -cp "$build/test-classes:$build/classes:$(cat "$cp_file")" appealhub.bench.PushBenchmark \
  --url "http://127.0.0.1:$base" --broker-url "tcp://127.0.0.1:$((base + 16))" \
  --baseline-rate "${baseline:-0}" --baseline-note "same_run,_bench/broker-baseline.sh,_100_in_flight" "$@"
status=$?
[ -n "${BENCH_JFR:-}" ] && jcmd $hub JFR.stop name=bench >/dev/null && echo "flight recording: $BENCH_JFR (bench/jfr-top.sh $BENCH_JFR)"
exit $status
