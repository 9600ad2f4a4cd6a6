#!/usr/bin/env bash
# Device run: probes with JFR, then the suite at 1 and 16 threads (no Chronicle Map: carry limit).
set -u
cd "$(dirname "$0")/.."
J=.device/jre/bin/java
CP=.device/benchmarks.jar:.device/probe
FLAGS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx4g"
mkdir -p bench/target && cp .device/benchmarks.jar bench/target/benchmarks.jar
$J -cp $CP dev.ferrite.bench.MachineInfo --out "$OUT/machine.txt" --note "device run, HEAD $(cat .device/head)"
{
for t in 1 4 8 16; do timeout 60 $J $FLAGS -cp $CP MultiProbe put $t 6; done
timeout 60 $J $FLAGS -XX:StartFlightRecording=filename=$OUT/put16.jfr,settings=profile -cp $CP MultiProbe put 16 8
timeout 60 $J $FLAGS -cp $CP MultiProbe put 16 6 2.0
timeout 60 $J $FLAGS -XX:StartFlightRecording=filename=$OUT/get16.jfr,settings=profile -cp $CP MultiProbe get 16 6
timeout 60 $J $FLAGS -cp $CP MultiProbe mixed 16 6
} > "$OUT/probe.log" 2>&1
grep "ops/s" "$OUT/probe.log"
start=$(date +%s)
timeout 300 $J -cp bench/target/benchmarks.jar dev.ferrite.bench.throughput.ThroughputRunner --profile device \
  --threads 1,16 --implementations ferrite,caffeine,chm,ohc --out "$OUT" > "$OUT/jmh.log" 2>&1
echo "suite status $? after $(( $(date +%s) - start )) s"
grep -E '^ThroughputBenchmark.operation ' "$OUT/jmh.log"
