#!/usr/bin/env bash
# Ferrite over the network beside Redis and the raw Aeron floor, in one run on this machine:
#   1. raw Aeron ping-pong and the Ferrite client, one request in flight, same message sizes (the floor);
#   2. Ferrite, one node then a 3-node cluster, under the load generator (closed loop at the chosen
#      concurrency and pipelining, then an open loop at half the 1-node maximum for the tail target);
#   3. Redis 7 (started and stopped here) under the same load generator and settings (Lettuce client),
#      closed loop, then open loop at Ferrite's half-load rate (the same offered load, so the tails
#      compare), plus redis-benchmark for reference.
# Writes bench/reports/side-by-side.md and .png; raw data under bench/reports/data/side-by-side-<time>/.
#
#   bench/side-by-side.sh [--seconds 20] [--requesters 4] [--pipeline 8] [--records 100000] [--value-bytes 100]
#
# Needs redis-server and redis-benchmark (apt-get install -y redis-server). About 4 minutes at defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

measure_seconds=20 requesters=4 pipeline=8 records=100000 value_bytes=100
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) measure_seconds=$2; shift 2 ;;
    --requesters) requesters=$2; shift 2 ;;
    --pipeline) pipeline=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --value-bytes) value_bytes=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in redis-server redis-benchmark redis-cli; do
  command -v $tool >/dev/null || { echo "side-by-side: $tool missing: apt-get install -y redis-server" >&2; exit 2; }
done

out=bench/reports/data/side-by-side-$(date -u +%Y-%m-%dT%H%M)
mkdir -p "$out"
redis_port=7399
redis_pid=
cleanup() {
  ./ferrite cluster stop --dir "$out/cluster-1" >/dev/null 2>&1 || true
  ./ferrite cluster stop --dir "$out/cluster-3" >/dev/null 2>&1 || true
  if [[ -n $redis_pid ]]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "jvm: $(java -version 2>&1 | head -1)"
  echo "redis: $(redis-server --version)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  # CPU pressure (share of time some runnable task waited for a CPU): other work on a shared machine.
  if [[ -r /proc/pressure/cpu ]]; then echo "cpu pressure at start: $(head -1 /proc/pressure/cpu)"; fi
  echo "settings: ${requesters} requesters x ${pipeline} in flight, ${records} records, 16 B keys, ${value_bytes} B values, ${measure_seconds} s measured"
} > "$out/machine.txt"

./ferrite --version >/dev/null   # builds the ferrite jar when needed
bench_args=(--requesters "$requesters" --pipeline "$pipeline" --records "$records" --value-bytes "$value_bytes"
            --warmup 5 --duration "$measure_seconds" --workload B --quiet)

echo "== 1/4 the floor: raw Aeron and Ferrite, one request in flight"
bench/network-latency.sh --seconds "$measure_seconds" --value-bytes "$value_bytes" \
  --out "$out/network-latency.md" --json-dir "$out"

echo "== 2/4 Ferrite, 1 node"
./ferrite cluster start --nodes 1 --base-port 7301 --dir "$out/cluster-1" >/dev/null
./ferrite bench --target ferrite --nodes 127.0.0.1:7301 "${bench_args[@]}" --out "$out/ferrite-1"
half_rate=$(python3 -c "import json;print(int(json.load(open('$out/ferrite-1/summary.json'))['throughputOpsPerSecond']/2))")
echo "   open loop at half the maximum: $half_rate ops/s"
./ferrite bench --target ferrite --nodes 127.0.0.1:7301 "${bench_args[@]}" --no-load --rate "$half_rate" --out "$out/ferrite-1-half-load"
./ferrite cluster stop --dir "$out/cluster-1" >/dev/null

echo "== 3/4 Ferrite, 3 nodes"
./ferrite cluster start --nodes 3 --base-port 7311 --dir "$out/cluster-3" >/dev/null
./ferrite bench --target ferrite --nodes 127.0.0.1:7311,127.0.0.1:7312,127.0.0.1:7313 "${bench_args[@]}" --out "$out/ferrite-3"
./ferrite cluster stop --dir "$out/cluster-3" >/dev/null

echo "== 4/4 Redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no > "$out/redis-server.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
./ferrite bench --target redis --port "$redis_port" "${bench_args[@]}" --out "$out/redis"
echo "   Redis open loop at Ferrite's half-load rate: $half_rate ops/s"
./ferrite bench --target redis --port "$redis_port" "${bench_args[@]}" --no-load --rate "$half_rate" --out "$out/redis-half-load"
redis-benchmark -p "$redis_port" -t get,set -n 200000 -c "$requesters" -P "$pipeline" -d "$value_bytes" --csv -q > "$out/redis-benchmark.csv"

{
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ -r /proc/pressure/cpu ]]; then echo "cpu pressure at end: $(head -1 /proc/pressure/cpu)"; fi
} >> "$out/machine.txt"

java -cp cli/target/ferrite.jar dev.ferrite.loadgen.report.SideBySideReport "$out" bench/reports/side-by-side.md bench/reports/side-by-side.png
echo "wrote bench/reports/side-by-side.md (data: $out)"
