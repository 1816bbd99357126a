#!/usr/bin/env bash
# Shared by the bench/ commands: runs a main class through Maven (exec:java) from the project root.
#   bench/run-main.sh <command name> <test|compile> <main class> [args...]
# HUB_BUILD_DIR=/tmp/x moves Maven's target dir (to build beside a running hub).
# Arguments are handed over as one exec.args string, so they must not contain spaces.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 scope=$2 main=$3
shift 3
for arg in "$@"; do
  case "$arg" in
    *[[:space:]]*) echo "$name: arguments must not contain spaces: '$arg'" >&2; exit 2 ;;
  esac
done
if [ "$scope" = test ]; then
  goals=(test-compile exec:java -Dexec.classpathScope=test)
else
  goals=(compile exec:java)
fi
exec ./mvnw -q -B ${HUB_BUILD_DIR:+-Dhub.build.dir=$HUB_BUILD_DIR} "${goals[@]}" \
  "-Dexec.mainClass=$main" "-Dexec.args=$*"
