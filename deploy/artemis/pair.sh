#!/usr/bin/env bash
# The hub's broker as a replicated ActiveMQ Artemis live/backup pair, both on this machine
# (deploy/artemis/README.md). Made from the Artemis distribution with `artemis create`, then given
# this folder's broker.xml, the hub's users and roles and the validated-user plugin.
#
#   deploy/artemis/pair.sh create [--dir DIR] [--base-port P] [--host H] [--users FILE] [--roles FILE]
#                                 [--memory 1G] [--redelivery-delay MS] [--max-delivery-attempts N]
#   deploy/artemis/pair.sh start|stop|status|url [--dir DIR]
#
# Ports, from P (default 61616): live CORE P, AMQP P+1, STOMP P+2, web console and Jolokia P+3;
# the backup the same from P+10. The hub connects with the failover URL `pair.sh url` prints.
# DIR defaults to ./data/artemis-pair (ARTEMIS_PAIR_DIR). The distribution: ARTEMIS_HOME if set
# (used in place), else target/artemis of the build (copied), else fetched with ./mvnw dependency:get.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
version=${ARTEMIS_VERSION:-2.40.0}
command=${1:-}
[ $# -gt 0 ] && shift
dir=${ARTEMIS_PAIR_DIR:-$project/data/artemis-pair}
base=61616
host=127.0.0.1
users=$project/config/broker-users.properties
roles=$project/config/broker-roles.properties
memory=1G
redelivery_delay=1000
max_delivery_attempts=6
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --roles) roles=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --redelivery-delay) redelivery_delay=$2; shift 2 ;;
    --max-delivery-attempts) max_delivery_attempts=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$command" in
  create) mkdir -p "$dir" ;;
  start|stop|status|url) [ -f "$dir/pair.env" ] || { echo "no pair in $dir: pair.sh create first" >&2; exit 1; } ;;
esac
if [ -d "$dir" ]; then
  dir=$(cd "$dir" && pwd)
  [ "$command" != create ] && . "$dir/pair.env"
fi

accepts() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_for SECONDS TEST...: true once TEST succeeds
wait_for() {
  local until=$((SECONDS + $1)); shift
  while [ $SECONDS -lt $until ]; do "$@" && return 0; sleep 0.2; done
  return 1
}

distribution() {
  if [ -n "${ARTEMIS_HOME:-}" ]; then
    [ -x "$ARTEMIS_HOME/bin/artemis" ] || { echo "ARTEMIS_HOME=$ARTEMIS_HOME has no bin/artemis" >&2; exit 1; }
    echo "$ARTEMIS_HOME"; return
  fi
  local home=$dir/apache-artemis-$version
  if [ ! -x "$home/bin/artemis" ]; then
    if [ -x "$project/target/artemis/apache-artemis-$version/bin/artemis" ]; then
      cp -r "$project/target/artemis/apache-artemis-$version" "$dir/"
    else
      (cd "$project" && ./mvnw -q -B dependency:get -Dtransitive=false \
          -Dartifact="org.apache.activemq:apache-artemis:$version:tar.gz:bin") >&2
      local tarball=${MAVEN_REPOSITORY:-$HOME/.m2/repository}/org/apache/activemq/apache-artemis/$version/apache-artemis-$version-bin.tar.gz
      [ -f "$tarball" ] || { echo "no $tarball (set MAVEN_REPOSITORY to Maven's local repository)" >&2; exit 1; }
      tar -xzf "$tarball" -C "$dir"
    fi
  fi
  echo "$home"
}

# The validated-user plugin (src/main/java/appealhub/broker), built against this distribution.
plugin_jar() {
  local home=$1 out=$dir/plugin
  rm -rf "$out" && mkdir -p "$out/classes"
  javac -nowarn -d "$out/classes" -cp "$home/lib/*" "$project/src/main/java/appealhub/broker/ValidatedUserPlugin.java"
  jar cf "$out/appealhub-broker-plugin.jar" -C "$out/classes" .
  echo "$out/appealhub-broker-plugin.jar"
}

# create_broker NAME CORE_PORT PEER_PORT
create_broker() {
  local name=$1 port=$2 peer=$3 instance=$dir/$1
  "$home/bin/artemis" create --silent --force --require-login --user hub --role hub \
      --password "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" \
      --host "$host" --default-port "$port" --http-host "$host" --http-port $((port + 3)) \
      --java-memory "$memory" --no-autotune \
      --no-amqp-acceptor --no-stomp-acceptor --no-mqtt-acceptor --no-hornetq-acceptor \
      "$instance" > "$dir/create-$name.log"
  cp "$here/broker-$name.xml" "$instance/etc/broker.xml"
  cp "$here"/hub-*.xml "$instance/etc/"
  # Production mounts its own users file (passwords as ENC(one-way hash)), never the demo one.
  cp "$users" "$instance/etc/artemis-users.properties"
  cp "$roles" "$instance/etc/artemis-roles.properties"
  cp "$jar" "$instance/lib/"
  cat >> "$instance/etc/artemis.profile" <<EOF

# Appeal hub (deploy/artemis/pair.sh): the \${...} of etc/broker.xml
export HUB_ARTEMIS_NAME=hub-$name HUB_ARTEMIS_HOST=$host HUB_ARTEMIS_CORE_PORT=$port
export HUB_ARTEMIS_AMQP_PORT=$((port + 1)) HUB_ARTEMIS_STOMP_PORT=$((port + 2))
export HUB_ARTEMIS_PEER_HOST=$host HUB_ARTEMIS_PEER_PORT=$peer
export HUB_ARTEMIS_REDELIVERY_DELAY=$redelivery_delay HUB_ARTEMIS_MAX_REDELIVERY_DELAY=$((30 * redelivery_delay))
export HUB_ARTEMIS_MAX_DELIVERY_ATTEMPTS=$max_delivery_attempts
export HUB_ARTEMIS_CLUSTER_PASSWORD='$cluster_password'
EOF
  chmod 600 "$instance/etc/artemis.profile" "$instance/etc/artemis-users.properties"
}

running() {
  local pid; pid=$(cat "$dir/$1/data/artemis.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && ps -o stat= -p "$pid" 2>/dev/null | grep -qv Z  # a broker just killed may linger as a zombie
}
# As artemis-service start, but what the broker prints before its logging starts (a broker.xml it
# cannot read, a class it cannot load) goes to log/console.log instead of /dev/null.
launch() {
  mkdir -p "$dir/$1/data" "$dir/$1/log"
  nohup "$dir/$1/bin/artemis" run > "$dir/$1/log/console.log" 2>&1 &
  echo $! > "$dir/$1/data/artemis.pid"
}
# up BROKER TEST...: TEST succeeds; fails at once when the broker has exited
up() { local b=$1; shift; running "$b" || { echo "the $b broker exited: see $dir/$b/log/" >&2; exit 1; }; "$@"; }
log_size() { stat -c %s "$dir/$1/log/artemis.log" 2>/dev/null || echo 0; }
# AMQ221024: the backup has the live's journal and replicates it from now on (only lines after $from)
synchronized() { tail -c +$((from + 1)) "$dir/backup/log/artemis.log" 2>/dev/null | grep -q 'AMQ221024'; }

url() { echo "(tcp://$host:$base,tcp://$host:$((base + 10)))?ha=true&reconnectAttempts=-1"; }

case "$command" in
  create)
    for b in live backup; do
      if [ -d "$dir/$b" ] && running "$b"; then echo "the $b broker in $dir is running: stop it first" >&2; exit 1; fi
    done
    home=$(distribution)
    jar=$(plugin_jar "$home")
    cluster_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    create_broker live "$base" $((base + 10))
    create_broker backup $((base + 10)) "$base"
    printf 'base=%s\nhost=%s\n' "$base" "$host" > "$dir/pair.env"
    echo "created the pair in $dir: live tcp://$host:$base, backup tcp://$host:$((base + 10))"
    ;;
  start)
    running live || launch live
    wait_for 60 up live accepts "$host" "$base" || { echo "the live broker did not start: see $dir/live/log/" >&2; exit 1; }
    from=$(log_size backup)
    running backup || launch backup
    wait_for 60 up backup synchronized || { echo "the backup did not catch up with the live: see $dir/backup/log/" >&2; exit 1; }
    echo "live active on tcp://$host:$base, backup replicating; the hub's broker URL: $(url)"
    ;;
  stop)
    # the backup first: stopping the live first would hand its clients to the backup
    for b in backup live; do
      if running "$b"; then
        "$dir/$b/bin/artemis-service" stop >/dev/null || "$dir/$b/bin/artemis-service" force-stop >/dev/null || true
      fi
    done
    echo "stopped"
    ;;
  status)
    for b in live backup; do
      port=$base; [ "$b" = backup ] && port=$((base + 10))
      if ! running "$b"; then state="stopped"
      elif accepts "$host" "$port"; then state="running, ACTIVE on tcp://$host:$port (pid $(cat "$dir/$b/data/artemis.pid"))"
      else state="running, passive: replicating the active broker (pid $(cat "$dir/$b/data/artemis.pid"))"
      fi
      printf '%-7s %s\n' "$b:" "$state"
    done
    ;;
  url) url ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
