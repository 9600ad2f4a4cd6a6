#!/usr/bin/env bash
# Get and set round-trip latency, Ferrite client -> node over loopback UDP, beside a raw Aeron
# ping-pong of the same message sizes in the same run; writes bench/reports/network-latency.md.
#
#   bench/network-latency.sh [--seconds 15] [--warmup-seconds 3] [--rounds 5] [--idle backoff|busy-spin]
#                            [--key-bytes 16] [--value-bytes 100] [--stacks raw,ferrite] [--out FILE]
#
# Default: 3 s warm-up + 15 s measured per exchange (get and set, raw and Ferrite): under 2 minutes.
# busy-spin only on a machine with a spare core per spinning thread (5 of them: two drivers, the
# server loop, the client wait and the echo), or it measures the scheduler instead.
# Builds bench/target/benchmarks.jar first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=bench/target/benchmarks.jar
if [[ ! -f $jar || -n $(find pom.xml engine transport node client bench/pom.xml bench/src/main -newer "$jar" -type f \
      -not -path '*/target/*' | head -1) ]]; then
  echo "[network-latency] building $jar"
  mvn -q -B -pl bench -am package -DskipTests
fi

java=${JAVA:-java}
flags=$("$java" -cp "$jar" dev.ferrite.bench.JvmFlagsMain)
# shellcheck disable=SC2086
exec "$java" $flags -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$jar" dev.ferrite.bench.network.NetworkLatencyMain "$@"
