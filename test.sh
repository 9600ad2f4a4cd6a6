#!/usr/bin/env bash
# The test command: builds every module and runs the unit, conformance and short stress tests.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp verify "$@"
