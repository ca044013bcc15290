#!/usr/bin/env bash
# Side-by-side fan-out bench: for each peer x N x repetition, start a FRESH server process, run the load
# generator against it (loopback only), stop the server. Results append to $OUT (JSON lines); summarize.js
# turns them into a table.
#
#   ./run-bench.sh                                   # defaults below
#   PEERS="ws spring-raw" NS="1000" REPS=1 ./run-bench.sh
#
# Every step is bounded: server start (60 s), loadgen (`timeout` + its own hard deadline), server stop (10 s, then KILL).
# Peers whose name contains "redis" run 1 or 2 instances against a private redis-server on 127.0.0.1:$REDIS_PORT
# (started here, no persistence, stopped at the end); clients are spread round-robin over the instances and the
# fan-out is triggered on the first one, so with 2 instances half the deliveries cross Redis.
# Peers whose name contains "cluster" run 3 instances against a private Redis Cluster of 3 masters (and
# CLUSTER_REPLICAS replicas per master, none by default) on the first free loopback ports from CLUSTER_BASE_PORT
# (each with its bus port, +10000, free too), formed here and stopped at the end; clients are spread over the 3
# instances. Each run of such a peer resets INFO commandstats on every node before the load generator starts and
# then records each master's commands and share of all masters' commands (warm-up, connect and fan-out
# included) in ${OUT%.jsonl}.masters.jsonl (commandstats.js).
set -u
cd "$(dirname "$0")"

PEERS=${PEERS:-"ws ws-send sio spring-raw spring-stomp"}
NS=${NS:-"1000 5000"}
REPS=${REPS:-3}
K=${K:-200}
S=${S:-100}
ROOM=${ROOM:-}                     # e.g. ROOM=r1 ROOM_CLIENTS=500 -> fan out to a room instead of everyone
ROOM_CLIENTS=${ROOM_CLIENTS:-0}
INTERVAL_MS=${INTERVAL_MS:-0}     # >0: paced mode, the server sends one message every INTERVAL_MS (latency below saturation)
JAVA_OPTS=${JAVA_OPTS:-}
# Tomcat accepts at most 8192 connections by default; every Java peer gets the same higher cap
# so that the 10k runs measure the servers, not that limit.
TOMCAT_ARGS="--server.tomcat.max-connections=${MAX_CONNECTIONS:-20000}"
# The sample serves /ws/bench only when asked: the endpoint lets anyone make the server send.
WSINFRA_ARGS="$TOMCAT_ARGS --samples.bench.enabled=true ${WSINFRA_EXTRA_ARGS:-}"   # e.g. WSINFRA_EXTRA_ARGS=--ws.writer-threads=1
SPRING_JAR=${SPRING_JAR:-spring-raw/target/spring-raw.jar}
WSINFRA_JAR=${WSINFRA_JAR:-../target/ws-infra-samples.jar}   # the sample app's runnable jar (peers "wsinfra*")
LOADGEN_ARGS=${LOADGEN_ARGS:-}     # more loadgen.js options, e.g. a longer warm-up: "--warmup-rounds 5 --warmup-clients 1000 --warmup-k 200"
STALLED=${STALLED:-0}              # >0: that many clients stop reading during the measured fan-out (mode ws only)
# CPU lists for taskset, e.g. SERVER_CPUS=0 LOADGEN_CPUS=1: the peers' servers and the load generator each on cores of
# their own, so that the scheduler's choices between them (who waits for a core) no longer weigh in; unset: share all
# cores. A private redis-server is never pinned.
SERVER_CPUS=${SERVER_CPUS:-}
LOADGEN_CPUS=${LOADGEN_CPUS:-}
REDIS_PORT=${REDIS_PORT:-6390}
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
CLUSTER_BASE_PORT=${CLUSTER_BASE_PORT:-7100}
CLUSTER_REPLICAS=${CLUSTER_REPLICAS:-0}
CLUSTER_KEY_PREFIX=${CLUSTER_KEY_PREFIX:-}   # e.g. '{ws}:'; empty: the sample's default key prefix
CLUSTER_NODES=""                             # set by start_cluster
mkdir -p results logs
OUT=${OUT:-results/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# peer -> "port[,port2]|path|loadgen-mode|command[;;command2]"
peer_def() {
  case "$1" in
    sio-redis1)     echo "8082|/ws/bench|sio-lite|env PORT=8082 REDIS_URL=$REDIS_URL node servers/sio-server.js" ;;
    sio-redis2)     echo "8082,8092|/ws/bench|sio-lite|env PORT=8082 REDIS_URL=$REDIS_URL node servers/sio-server.js;;env PORT=8092 REDIS_URL=$REDIS_URL node servers/sio-server.js" ;;
    spring-redis1)  echo "8083|/ws/bench|ws|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8083 --bench.redis-url=$REDIS_URL" ;;
    spring-redis2)  echo "8083,8093|/ws/bench|ws|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8083 --bench.redis-url=$REDIS_URL;;java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8093 --bench.redis-url=$REDIS_URL" ;;
    wsinfra)        echo "8085|/ws/bench|ws|java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.port=8085 --server.address=127.0.0.1" ;;
    wsinfra-flush2) echo "8085|/ws/bench|ws|java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.port=8085 --server.address=127.0.0.1 --samples.bench.flush-every=2" ;;
    wsinfra-burst)  echo "8085|/ws/bench|ws|java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.port=8085 --server.address=127.0.0.1 --samples.bench.flush-every=0" ;;
    wsinfra-redis1) echo "8085|/ws/bench|ws|env WS_REDIS_ENABLED=true SPRING_DATA_REDIS_URL=$REDIS_URL java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.port=8085 --server.address=127.0.0.1" ;;
    wsinfra-cluster3) local c="env WS_REDIS_ENABLED=true SPRING_DATA_REDIS_CLUSTER_NODES=$CLUSTER_NODES ${CLUSTER_KEY_PREFIX:+WS_REDIS_KEY_PREFIX=$CLUSTER_KEY_PREFIX} java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.address=127.0.0.1"
                    echo "8085,8095,8105|/ws/bench|ws|$c --server.port=8085;;$c --server.port=8095;;$c --server.port=8105" ;;
    wsinfra-redis2) echo "8085,8095|/ws/bench|ws|env WS_REDIS_ENABLED=true SPRING_DATA_REDIS_URL=$REDIS_URL java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.port=8085 --server.address=127.0.0.1;;env WS_REDIS_ENABLED=true SPRING_DATA_REDIS_URL=$REDIS_URL java $JAVA_OPTS -jar $WSINFRA_JAR $WSINFRA_ARGS --server.port=8095 --server.address=127.0.0.1" ;;
    ws)             echo "8081|/ws/bench|ws|env PORT=8081 WS_MODE=preframe node servers/ws-server.js" ;;
    ws-send)        echo "8081|/ws/bench|ws|env PORT=8081 WS_MODE=send node servers/ws-server.js" ;;
    sio)            echo "8082|/ws/bench|sio-lite|env PORT=8082 node servers/sio-server.js" ;;
    sio-client)     echo "8082|/ws/bench|sio|env PORT=8082 node servers/sio-server.js" ;;
    spring-raw)     echo "8083|/ws/bench|ws|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8083" ;;
    spring-raw-par2) echo "8083|/ws/bench|ws|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8083 --bench.parallelism=2" ;;
    spring-raw-buf8k)  echo "8083|/ws/bench|ws|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8083 --bench.ws-buffer-bytes=8192" ;;
    spring-raw-buf64k) echo "8083|/ws/bench|ws|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8083 --bench.ws-buffer-bytes=65536" ;;
    spring-stomp)   echo "8084|/ws/stomp|stomp|java $JAVA_OPTS -jar $SPRING_JAR $TOMCAT_ARGS --server.port=8084 --bench.stomp=true" ;;
    *) return 1 ;;
  esac
}

wait_port() { # port timeout_s
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}
wait_server() { # pid port timeout_s: fails at once when the server exits
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    (exec 3<>/dev/tcp/127.0.0.1/"$2") 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# Wait (bounded) until the machine is quiet: other builds on a shared 2-core box wreck the numbers.
IDLE_MAX_WAIT=${IDLE_MAX_WAIT:-900}     # seconds
IDLE_BUSY_MAX=${IDLE_BUSY_MAX:-0.15}    # max busy fraction of ALL cores over a 3 s sample
busy_frac() {
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  local ta=0 tb=0 i
  for ((i = 1; i < ${#a[@]}; i++)); do ta=$((ta + a[i])); tb=$((tb + b[i])); done
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) tot=$((tb - ta))
  awk -v i="$idle" -v t="$tot" 'BEGIN{ if (t<=0) print 0; else printf "%.3f", 1 - i/t }'
}
wait_idle() {
  local waited=0 f
  while :; do
    f=$(busy_frac)
    awk -v f="$f" -v m="$IDLE_BUSY_MAX" 'BEGIN{exit !(f<=m)}' && return 0
    if ((waited >= IDLE_MAX_WAIT)); then echo "[idle-guard] still busy ($f) after ${waited}s; running anyway" >&2; return 1; fi
    ((waited % 60 == 0)) && echo "[idle-guard] machine busy ($f of all cores), waiting..." >&2
    sleep 2; waited=$((waited + 5))
  done
}

stop_server() { # pid
  kill -TERM "$1" 2>/dev/null || return 0
  local i
  for ((i = 0; i < 40; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

{
  echo "# bench env $(date -u +%FT%TZ)"
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc); mem: $(free -g | awk '/Mem:/{print $2}') GiB; kernel $(uname -r)"
  echo "# node $(node --version); $(java -version 2>&1 | head -1); ws $(node -p 'require("ws/package.json").version'); socket.io $(node -p 'require("socket.io/package.json").version')"
  echo "# K=$K S=$S NS=$NS REPS=$REPS PEERS=$PEERS ROOM=${ROOM:-none} ROOM_CLIENTS=$ROOM_CLIENTS INTERVAL_MS=$INTERVAL_MS LOADGEN_ARGS=${LOADGEN_ARGS:-none} JAVA_OPTS=${JAVA_OPTS:-default} SERVER_CPUS=${SERVER_CPUS:-all} LOADGEN_CPUS=${LOADGEN_CPUS:-all}"
  echo "# redis $(redis-server --version | awk '{print $3}'); cluster peers: 3 masters, CLUSTER_REPLICAS=$CLUSTER_REPLICAS, key prefix ${CLUSTER_KEY_PREFIX:-default}"
} | tee -a "${OUT%.jsonl}.env.txt"

redis_pid=""
start_redis() {
  [ -n "$redis_pid" ] && return 0
  if ! port_free "$REDIS_PORT"; then echo "port $REDIS_PORT busy; not starting redis" >&2; return 1; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --protected-mode yes >logs/redis.log 2>&1 &
  redis_pid=$!
  wait_port "$REDIS_PORT" 20 || { echo "redis did not start" >&2; return 1; }
}

cluster_pids=(); cluster_ports=(); cluster_dir=""
start_cluster() {
  [ -n "$CLUSTER_NODES" ] && return 0
  ((${#cluster_pids[@]})) && return 1   # an earlier start failed
  local n=$((3 * (1 + CLUSTER_REPLICAS))) p i addrs=()
  for ((p = CLUSTER_BASE_PORT; ${#cluster_ports[@]} < n && p < CLUSTER_BASE_PORT + 200 && p + 10000 <= 65535; p++)); do
    port_free "$p" && port_free $((p + 10000)) && cluster_ports+=("$p")
  done
  if ((${#cluster_ports[@]} < n)); then echo "no $n free port pairs from $CLUSTER_BASE_PORT; not starting a cluster" >&2; return 1; fi
  cluster_dir=$(mktemp -d)
  for p in "${cluster_ports[@]}"; do
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "nodes-$p.conf" \
      --cluster-node-timeout 2000 --dir "$cluster_dir" --save '' --appendonly no --protected-mode yes >"logs/cluster-$p.log" 2>&1 &
    cluster_pids+=($!); addrs+=("127.0.0.1:$p")
  done
  for i in "${!cluster_ports[@]}"; do
    wait_server "${cluster_pids[$i]}" "${cluster_ports[$i]}" 20 || { echo "cluster node ${cluster_ports[$i]} did not start" >&2; return 1; }
  done
  timeout 60 redis-cli --cluster create "${addrs[@]}" --cluster-replicas "$CLUSTER_REPLICAS" --cluster-yes >logs/cluster-create.log 2>&1 \
    || { echo "redis-cli --cluster create failed (logs/cluster-create.log)" >&2; return 1; }
  for ((i = 0; i < 120; i++)); do
    local ok=1
    for p in "${cluster_ports[@]}"; do redis-cli -p "$p" CLUSTER INFO 2>/dev/null | grep -q cluster_state:ok || ok=0; done
    ((ok)) && break
    sleep 0.25
  done
  ((ok)) || { echo "the cluster did not reach cluster_state:ok" >&2; return 1; }
  CLUSTER_NODES=$(IFS=,; echo "${addrs[*]}")
  echo "[cluster] ${#cluster_ports[@]} nodes on ${cluster_ports[*]} (3 masters, $CLUSTER_REPLICAS replica(s) each)"
}
cleanup() {
  [ -n "$redis_pid" ] && stop_server "$redis_pid"
  local p
  for p in "${cluster_pids[@]}"; do stop_server "$p"; done
  [ -n "$cluster_dir" ] && rm -rf "$cluster_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in $NS; do
  for peer in $PEERS; do
    peer_def "$peer" >/dev/null || { echo "unknown peer $peer" >&2; continue; }
    extra=(); cluster=0
    if [[ "$peer" == *redis* ]]; then start_redis || continue; extra=(--extra-pids "$redis_pid"); fi
    if [[ "$peer" == *cluster* ]]; then
      start_cluster || continue
      cluster=1; extra=(--extra-pids "$(IFS=,; echo "${cluster_pids[*]}")")
    fi
    def=$(peer_def "$peer")
    IFS='|' read -r ports path mode cmds <<<"$def"
    IFS=',' read -r -a portv <<<"$ports"
    mapfile -t cmdv < <(echo "$cmds" | sed 's/;;/\n/g')
    for ((rep = 1; rep <= REPS; rep++)); do
      busy=0; for p in "${portv[@]}"; do port_free "$p" || busy=1; done
      if ((busy)); then echo "a port of $ports is busy; skipping $peer" >&2; continue; fi
      wait_idle
      pids=(); urls=(); ok=1
      for i in "${!portv[@]}"; do
        ${SERVER_CPUS:+taskset -c $SERVER_CPUS} ${cmdv[$i]} >"logs/$peer-n$n-r$rep-$i.log" 2>&1 &
        pids+=($!); urls+=("ws://127.0.0.1:${portv[$i]}$path")
      done
      for i in "${!portv[@]}"; do wait_server "${pids[$i]}" "${portv[$i]}" 60 || ok=0; done
      if ((!ok)); then echo "[$peer] a server did not open its port" >&2; for p in "${pids[@]}"; do stop_server "$p"; done; continue; fi
      sleep 0.5
      room_args=()
      [ -n "$ROOM" ] && room_args=(--room "$ROOM" --room-clients "$ROOM_CLIENTS")
      url_arg=$(IFS=,; echo "${urls[*]}"); pid_arg=$(IFS=,; echo "${pids[*]}")
      # phase timeout scales with the expected work; hard deadline bounds the whole loadgen run
      label=$peer; stalled_args=()
      if ((STALLED > 0)); then label="$peer+stalled$STALLED"; stalled_args=(--stalled "$STALLED"); fi
      ((cluster)) && node commandstats.js reset "${cluster_ports[0]}"
      timeout -k 5 420 ${LOADGEN_CPUS:+taskset -c $LOADGEN_CPUS} node loadgen.js --url "$url_arg" --mode "$mode" "${stalled_args[@]}" \
        --clients "$n" --k "$K" --size "$S" --pid "$pid_arg" --label "$label" \
        --phase-timeout 150 --timeout 400 --out "$OUT" "${room_args[@]}" "${extra[@]}" --interval-ms "$INTERVAL_MS" --quiet $LOADGEN_ARGS \
        | sed "s/^/[$peer n=$n rep=$rep] /"
      if ((cluster)); then
        node commandstats.js report "${cluster_ports[0]}" --out "${OUT%.jsonl}.masters.jsonl" --label "$label" \
          --clients "$n" --k "$K" --size "$S" --rep "$rep" --room "$ROOM" | sed "s/^/[$peer n=$n rep=$rep] /"
      fi
      for p in "${pids[@]}"; do stop_server "$p"; done
      sleep 1
    done
  done
done
echo "results: $OUT"
node summarize.js "$OUT"
