#!/usr/bin/env bash
# Runs the benchmark suite and writes bench/reports/latest.md (+ a dated copy and PNG charts).
#
#   bench/run.sh [quick|full] [--threads 1,2] [--memory-entries 1000000,10000000] [--only throughput,memory,latency,hitratio]
#
# quick: get, 50/50 and put; Zipfian; 100 B values; short iterations; memory at 1 M entries;
#        latency 5 s per store; all traces at 3 sizes. About 10 minutes on 2 cores.
# full:  all four mixes, uniform and Zipfian, 100 B and 1 KiB, Ferrite's byte[] API too, 2 + 3
#        one-second iterations (Profile.java); memory at 1 M and 10 M entries; latency 20 s per
#        store. About 40 minutes on 2 cores at --threads 1,2.
# Builds bench/target/benchmarks.jar first when it is missing or older than the sources.
# Raw results stay in bench/target/results/<time>/; a copy of the small files goes to
# bench/reports/data/<date>-<profile>/ so a report can be regenerated (ReportMain --results DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=quick
if [[ $# -gt 0 && $1 != --* ]]; then profile=$1; shift; fi
threads=1,2
memory_entries=
only=throughput,memory,latency,hitratio
while [[ $# -gt 0 ]]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --memory-entries) memory_entries=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown option $1; usage: bench/run.sh [quick|full] [--threads 1,2] [--memory-entries N,M] [--only parts]" >&2; exit 2 ;;
  esac
done
case $profile in
  quick) latency_seconds=5; memory_entries=${memory_entries:-1000000} ;;
  full) latency_seconds=20; memory_entries=${memory_entries:-1000000,10000000} ;;
  *) echo "profile must be quick or full, not $profile" >&2; exit 2 ;;
esac

jar=bench/target/benchmarks.jar
if [[ ! -f $jar || -n $(find pom.xml engine/pom.xml bench/pom.xml engine/src/main bench/src/main -newer "$jar" -type f | head -1) ]]; then
  echo "[run.sh] building $jar"
  mvn -q -B -pl bench -am package -DskipTests
fi

java=${JAVA:-java}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
day=$(date -u +%Y-%m-%d)
results=bench/target/results/$stamp
mkdir -p "$results"
# The run uses its own copy, so a rebuild while it runs cannot change the classes under it.
cp "$jar" "$results/benchmarks.jar"
run_jar=$results/benchmarks.jar
flags=$("$java" -cp "$run_jar" dev.ferrite.bench.JvmFlagsMain)
highest_threads=${threads##*,}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

"$java" -cp "$run_jar" dev.ferrite.bench.MachineInfo --out "$results/machine.txt" \
  --note "bench/run.sh $profile --threads $threads (commit $commit)" >/dev/null
echo "[run.sh] $profile run, threads $threads, results in $results"

if [[ ,$only, == *,throughput,* ]]; then
  echo "[run.sh] throughput (JMH)"
  "$java" -cp "$run_jar" dev.ferrite.bench.throughput.ThroughputRunner --profile "$profile" --threads "$threads" \
    --out "$results" > "$results/jmh.log" 2>&1 || { tail -40 "$results/jmh.log"; exit 1; }
  grep -E '^ThroughputBenchmark.operation ' "$results/jmh.log" || true
fi
if [[ ,$only, == *,memory,* ]]; then
  echo "[run.sh] memory at $memory_entries entries"
  "$java" -cp "$run_jar" dev.ferrite.bench.memory.MemoryMain --entries "$memory_entries" --out "$results/memory.tsv" \
    2>&1 | grep -v SLF4J | tee "$results/memory.log"
fi
if [[ ,$only, == *,latency,* ]]; then
  echo "[run.sh] latency, $highest_threads threads"
  "$java" -cp "$run_jar" dev.ferrite.bench.latency.LatencyMain --threads "$highest_threads" --seconds "$latency_seconds" \
    --out "$results/latency.tsv" 2>&1 | grep -v SLF4J | tee "$results/latency.log"
fi
if [[ ,$only, == *,hitratio,* ]]; then
  echo "[run.sh] hit ratio"
  # shellcheck disable=SC2086
  "$java" $flags -cp "$run_jar" dev.ferrite.bench.hitratio.HitRatioMain --traces "${TRACES:-/work/shared/traces}" \
    --out "$results/hitratio.tsv" | tee "$results/hitratio.log"
fi

[[ -f $results/jmh.json ]] || echo '[]' > "$results/jmh.json"
data=bench/reports/data/$day-$profile
mkdir -p "$data"
for f in jmh.json memory.tsv latency.tsv hitratio.tsv machine.txt; do
  [[ -f $results/$f ]] && cp "$results/$f" "$data/"
done
"$java" -Djava.awt.headless=true -cp "$run_jar" dev.ferrite.bench.report.ReportMain --results "$data" \
  --out "bench/reports/latest.md,bench/reports/$day-$profile.md" \
  --title "Ferrite benchmarks: $profile run of $day"
echo "[run.sh] report: bench/reports/latest.md"
