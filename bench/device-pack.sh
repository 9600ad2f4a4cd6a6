#!/usr/bin/env bash
# Packs what bench/device-run.sh needs on a many-core machine that has no Java, inside the device
# tool's 64 MiB carry limit (the tracked tree counts too: about 12 MiB). Writes, under .device/
# (ignored by git):
#   jre/             a jlinked Java 17 runtime, about 36 MiB: no jdk.compiler (so no Chronicle Map) and
#                    no java.desktop (no report charts there); jdk.jfr for profiles; libjvm.so stripped
#   benchmarks.jar   bench/target/benchmarks.jar less what a throughput run never loads (report
#                    charts and PDF, Jackson, Aeron, Chronicle Map, other platforms' natives), about 13 MiB
# Build the jar first: mvn -q -B -pl engine,bench -am package -DskipTests
# Then: run with carry [".device"] and the command `bash bench/device-run.sh`, and give the machine back.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
J=${JAVA17:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
"$J/bin/java" -version 2>&1 | grep -q '"17' || { echo "set JAVA17 to a JDK 17 home" >&2; exit 2; }
[[ -f bench/target/benchmarks.jar ]] || { echo "build bench/target/benchmarks.jar first" >&2; exit 2; }
grep -qxF '/.device/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.device/' >> .git/info/exclude; }

rm -rf .device/jre
mkdir -p .device
"$J/bin/jlink" --module-path "$J/jmods" \
  --add-modules java.base,java.management,java.naming,java.sql,jdk.unsupported,jdk.management,jdk.jfr,jdk.management.jfr \
  --strip-debug --no-header-files --no-man-pages --compress=2 --exclude-files='**/ct.sym' --output .device/jre
strip --strip-unneeded .device/jre/lib/server/libjvm.so 2>/dev/null || true

cp bench/target/benchmarks.jar .device/benchmarks.jar
drop=('org/apache/pdfbox/*' 'org/apache/fontbox/*' 'org/knowm/*' 'com/fasterxml/*' 'io/aeron/*'
  'net/openhft/chronicle/map/*' 'net/openhft/chronicle/hash/*' 'net/openhft/chronicle/wire/*' 'net/openhft/compiler/*'
  'com/sun/jna/win32*' 'com/sun/jna/aix*' 'com/sun/jna/darwin*' 'com/sun/jna/linux-arm*' 'com/sun/jna/linux-aarch64*'
  'com/sun/jna/linux-ppc*' 'com/sun/jna/linux-mips*' 'com/sun/jna/linux-s390x*' 'com/sun/jna/linux-x86/*'
  'com/sun/jna/sunos*' 'com/sun/jna/freebsd*' 'com/sun/jna/openbsd*' 'com/sun/jna/platform/win32/*' 'com/sun/jna/platform/mac/*')
for platform in dragonflybsd freebsd openbsd darwin windows solaris aix; do drop+=("jnr/constants/platform/$platform/*"); done
while read -r dir; do drop+=("$dir*"); done < <(unzip -l .device/benchmarks.jar | awk '{print $4}' | grep -E '^jni/[^/]+/$' | grep -v x86_64-Linux)
zip -q -d .device/benchmarks.jar "${drop[@]}" || true

tree_bytes=$(git ls-files -z | xargs -0 cat | wc -c)
device_bytes=$(du -sb .device | cut -f1)
total_mib=$(( (tree_bytes + device_bytes) / 1024 / 1024 ))
echo "packed .device: $(( device_bytes / 1024 / 1024 )) MiB; with the tracked tree $total_mib MiB of the 64 MiB carry limit"
(( total_mib < 64 )) || { echo "over the carry limit: remove other files under .device" >&2; exit 1; }
