#!/usr/bin/env bash
# Device run 3: put probes, base (2c42ab4) vs all (4e77886) vs claim (claims reuse scanned headers).
set -u
cd "$(dirname "$0")/.."
J=.device/jre/bin/java
FLAGS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx4g"
probe() { v=$1; shift; echo "variant=$v $(timeout 40 $J $FLAGS -cp .device/variants/$v:.device/benchmarks.jar:.device/probe MultiProbe "$@" 2>&1 | grep -v WARN | tr '\n' ' ' | sed 's/before.*after//')"; }
{
nproc
for round in 1 2; do for v in base all claim; do probe $v put 16 6; done; done
probe all put 8 6; probe claim put 8 6
probe all mixed 16 6; probe claim mixed 16 6
timeout 40 $J $FLAGS -XX:StartFlightRecording=filename=$OUT/put16-claim.jfr,settings=profile -cp .device/variants/claim:.device/benchmarks.jar:.device/probe MultiProbe put 16 6 > /dev/null 2>&1
} > "$OUT/probe.log" 2>&1
cat "$OUT/probe.log"
