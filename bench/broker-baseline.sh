#!/usr/bin/env bash
# The raw broker figure for the push benchmark, on this machine, now: a standalone Artemis of the
# hub's version (the distribution the build unpacks into target/artemis, Maven Central's
# org.apache.activemq:apache-artemis:<version>:tar.gz:bin) with its default journal, and its own
# load generator `artemis perf client`: durable (persistent) 2 KB messages, 1 producer and
# 1 consumer on one queue, as many in flight as --max-pending (100; the 1-in-flight figure too with
# --also-one). The last line is machine readable:  broker-baseline: <msg/s> msg/s (...)
#
#   bench/broker-baseline.sh [--port 18361] [--duration 20] [--warmup 5] [--max-pending 100] [--also-one]
#
# The broker instance lives under $build/bench/baseline-broker (created once) and is stopped at the end.
# HUB_BUILD_DIR=/tmp/x: the build dir (-Dhub.build.dir) to use instead of target.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${HUB_BUILD_DIR:-target}
port=18361 duration=20 warmup=5 pending=100 also_one=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --max-pending) pending=$2; shift 2 ;;
    --also-one) also_one=1; shift ;;
    *) echo "broker-baseline: unknown option $1" >&2; exit 2 ;;
  esac
done
# maven-dependency-plugin (pom.xml) unpacks the distribution at generate-test-resources; the
# version is Spring Boot's artemis.version, the hub's own client and embedded broker
ls -d "$build"/artemis/apache-artemis-* >/dev/null 2>&1 || ./mvnw -q -B ${HUB_BUILD_DIR:+-Dhub.build.dir=$HUB_BUILD_DIR} generate-test-resources >/dev/null
home=$(ls -d "$build"/artemis/apache-artemis-* | head -1)
version=${home##*apache-artemis-}
instance=$build/bench/baseline-broker
if [ ! -f "$instance/etc/broker.xml" ] || ! grep -q "127.0.0.1:$port" "$instance/etc/broker.xml"; then
  rm -rf "$instance"
  mkdir -p "$build/bench"
  sh "$home/bin/artemis" create --silent --force --user bench --password bench --require-login --no-web \
    --host 127.0.0.1 --default-port "$port" --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor \
    --no-hornetq-acceptor --java-memory 512m "$instance" > $build/bench/baseline-broker-create.log 2>&1
fi
rm -rf "$instance/data"
"$instance/bin/artemis" run > $build/bench/baseline-broker.log 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  grep -q "AMQ221007" $build/bench/baseline-broker.log && break
  kill -0 $broker 2>/dev/null || { echo "broker-baseline: the broker did not start ($build/bench/baseline-broker.log)" >&2; exit 2; }
  sleep 0.5
done
grep -q "AMQ221007" $build/bench/baseline-broker.log || { echo "broker-baseline: the broker did not start in 120 s" >&2; exit 2; }

# msg/s received after the warm-up, from perf client's JSON report (one sample a second)
rate() {
  python3 - "$1" <<'PY'
import json, sys
samples = json.load(open(sys.argv[1]))
intervals = [s for s in samples if s.get("sampleType") == "interval"]
warm = [s for s in intervals if s.get("warmup")]
measured = [s for s in intervals if not s.get("warmup")]
t0 = warm[-1]["time"] if warm else intervals[0]["time"] - 1000
print("%.0f" % (sum(s["received"] for s in measured) * 1000.0 / (measured[-1]["time"] - t0)))
PY
}
run() { # max-pending
  "$home/bin/artemis" perf client --silent --url "tcp://127.0.0.1:$port" --user bench --password bench \
    --persistent --message-size 2048 --max-pending "$1" --duration "$duration" --warmup "$warmup" \
    --json "$build/bench/baseline-$1.json" "queue://BENCH.$1" > "$build/bench/baseline-$1.log" 2>&1
  rate "$build/bench/baseline-$1.json"
}
if [ "$also_one" = 1 ]; then
  one=$(run 1)
  echo "broker-baseline: 1 in flight: $one msg/s"
fi
many=$(run "$pending")
echo "broker-baseline: $many msg/s (Artemis $version, durable 2 KB, 1 producer / 1 consumer, $pending in flight, ${duration} s)"
