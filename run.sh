#!/usr/bin/env bash
# Runs Ferrite's main job: for now, the embedded engine example (builds what is missing first).
set -euo pipefail
cd "$(dirname "$0")"
jar=engine/target/ferrite-engine-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find engine/src/main -newer "$jar" -print -quit)" ]; then
  mvn -q -B -ntp -pl engine -am package -DskipTests
fi
exec mvn -q -B -ntp -pl engine exec:exec
