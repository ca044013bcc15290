#!/usr/bin/env bash
# One command for the performance report: builds the sample app (the ws-infra peer) and the raw
# Spring peer, installs the Node peers and the load generator, runs every peer side by side on
# loopback, prints the table and draws the chart.
#
#   ws-infra-samples/bench/bench.sh                       # defaults below
#   PEERS="wsinfra spring-raw" NS=1000 REPS=1 ws-infra-samples/bench/bench.sh
#   STALLED=1 PEERS="wsinfra spring-raw" NS=100 K=5000 S=10000 ws-infra-samples/bench/bench.sh   # see docs/performance.md
#
# Needs a JDK 17+, Node.js 20 with npm, redis-server for the *redis* peers and redis-server and redis-cli for
# the *cluster* peers. Every run is bounded (see run-bench.sh); results go to results/, logs to logs/ (both
# ignored by git).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)

(cd "$root" && ./mvnw -B -q -DskipTests -pl ws-infra-samples -am clean package)
if [ ! -f spring-raw/target/spring-raw.jar ]; then
  "$root/mvnw" -B -q -DskipTests -f spring-raw/pom.xml package
fi
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

mkdir -p results
export OUT=${OUT:-results/bench-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
export PEERS=${PEERS:-"wsinfra wsinfra-flush2 spring-raw ws sio spring-stomp"}
export NS=${NS:-"1000 5000"}
export REPS=${REPS:-3}
./run-bench.sh
java -Djava.awt.headless=true Chart.java "${OUT%.jsonl}.png" "$OUT"
