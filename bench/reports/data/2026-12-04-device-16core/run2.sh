#!/usr/bin/env bash
# Device run 2: put probes for engine variants (base = 2c42ab4, runs = relocation runs only,
# all = runs + batch wait + split segment table), then the suite at 1 and 16 threads on 'all'.
set -u
cd "$(dirname "$0")/.."
J=.device/jre/bin/java
FLAGS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx4g"
mkdir -p bench/target && cp .device/benchmarks.jar bench/target/benchmarks.jar
$J -cp bench/target/benchmarks.jar dev.ferrite.bench.MachineInfo --out "$OUT/machine.txt" --note "device run 2"
probe() { v=$1; shift; echo "variant=$v $(timeout 60 $J $FLAGS -cp .device/variants/$v:.device/benchmarks.jar:.device/probe MultiProbe "$@" 2>&1 | grep -v WARN | tr '\n' ' ' | sed 's/before.*after//')"; }
{
for round in 1 2; do for v in base runs all; do probe $v put 16 6; probe $v put 4 6; done; done
probe all put 1 6; probe all put 8 6; probe base put 8 6
probe all mixed 16 6; probe base mixed 16 6
probe all get 16 6; probe base get 16 6
timeout 60 $J $FLAGS -XX:StartFlightRecording=filename=$OUT/put16-all.jfr,settings=profile -cp .device/variants/all:.device/benchmarks.jar:.device/probe MultiProbe put 16 8 > /dev/null 2>&1
} > "$OUT/probe.log" 2>&1
cat "$OUT/probe.log"
start=$(date +%s)
timeout 240 $J -cp bench/target/benchmarks.jar dev.ferrite.bench.throughput.ThroughputRunner --profile device \
  --threads 1,16 --implementations ferrite,caffeine,chm,ohc --out "$OUT" > "$OUT/jmh.log" 2>&1
echo "suite status $? after $(( $(date +%s) - start )) s"
grep -E '^ThroughputBenchmark.operation ' "$OUT/jmh.log"
