#!/usr/bin/env bash
# Builds and runs every benchmark; each prints its figures and ratios against a baseline
# measured in the same run. Usage: benchmarks/run.sh [suite-name-substring ...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbenchmarks -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
exec java -Xmx2g -jar benchmarks/target/benchmarks.jar "$@"
