#!/usr/bin/env bash
# The throughput suite for a 16-core machine that has no Maven and no JDK: it needs only
# .device/jre (a jlinked Java 17 runtime) and bench/target/benchmarks.jar carried over.
#
#   bench/device-run.sh [OUT_DIR]        (default: $OUT)
#
# Runs get, 50/50 and put; Zipfian; 100 B values; 1 M entries; every store at 1, 4, 8 and 16
# threads (THREADS=... to change), 1 fork of 2 + 3 one-second iterations: 60 forks in about
# 7 minutes, cut off at 7m50s (JMH JSON is rewritten after each store, so a cut run keeps what it
# measured). Writes OUT_DIR/jmh.json, machine.txt and jmh.log. Back on the build machine:
#
#   java -cp bench/target/benchmarks.jar dev.ferrite.bench.report.ReportMain --results OUT_DIR \
#     --out bench/reports/device-16core.md --title "Ferrite throughput on 16 cores"
#
# Prepare .device with bench/device-pack.sh (runtime and slimmed jar within the 64 MiB carry limit)
# and carry [".device"]. The runtime needs the modules checked below (jdk.management for the GC
# profiler's allocation counters); with jdk.compiler too, Chronicle Map runs as well (it loads javac),
# but such a runtime and the full jar do not fit the carry limit beside the tracked tree.
# RUNNER_ARGS passes extra ThroughputRunner options, e.g. "--entries 100000" for a dry run, and
# IMPLEMENTATIONS=ferrite,caffeine picks the stores (ferrite-ahead adds Ferrite with its background
# reclaim thread, which only pays where a core is spare: measured on 2 cores only so far;
# ferrite-1shard adds Ferrite in one store, to see what the shards the machine picks gain).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-${OUT:?pass an output directory or set OUT}}
java=${JAVA:-.device/jre/bin/java}
# bench/device-pack.sh's slimmed jar when it is there (what fits the carry limit), else the build's.
jar=${JAR:-$( [[ -f .device/benchmarks.jar ]] && echo .device/benchmarks.jar || echo bench/target/benchmarks.jar )}
threads=${THREADS:-1,4,8,16}
budget_s=${BUDGET_S:-470}
mkdir -p "$out"

[[ -x $java ]] || { echo "no Java runtime at $java (set JAVA=...)" >&2; exit 2; }
[[ -f $jar ]] || { echo "no $jar: build it with 'mvn -q -B -pl bench -am package -DskipTests' and carry it over" >&2; exit 2; }
modules=$("$java" --list-modules)
for module in java.base java.management java.naming java.sql jdk.unsupported jdk.management; do
  grep -q "^$module@" <<<"$modules" || { echo "runtime $java lacks module $module" >&2; exit 2; }
done
# Chronicle Map compiles classes at run time: without jdk.compiler (bench/device-pack.sh leaves it out
# to fit the carry limit) the run leaves it out too.
default_implementations=ferrite,caffeine,chm,chronicle,ohc
grep -q '^jdk.compiler@' <<<"$modules" || default_implementations=ferrite,caffeine,chm,ohc

"$java" -cp "$jar" dev.ferrite.bench.MachineInfo --out "$out/machine.txt" --note "bench/device-run.sh, threads $threads"
start=$(date +%s)
status=0
# shellcheck disable=SC2086
timeout "$budget_s" "$java" -cp "$jar" dev.ferrite.bench.throughput.ThroughputRunner --profile device \
  --threads "$threads" --implementations "${IMPLEMENTATIONS:-$default_implementations}" --out "$out" ${RUNNER_ARGS:-} \
  > "$out/jmh.log" 2>&1 || status=$?
echo "throughput run ended with status $status after $(( $(date +%s) - start )) s"
grep -E '^ThroughputBenchmark.operation ' "$out/jmh.log" || tail -30 "$out/jmh.log"
grep -c '"benchmark"' "$out/jmh.json" 2>/dev/null | sed 's/^/results in jmh.json: /' || echo "no jmh.json written"
exit "$status"
