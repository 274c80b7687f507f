#!/usr/bin/env bash
# The inference service's overload rounds (README, "Overload") with the load generator kept off the
# service's cores: the service runs from its jar on core 0 with one ONNX Runtime thread, and
# PredictLoadBenchmark drives it from the other cores. Needs at least 2 cores and `taskset`.
# Usage: scripts/overload-split-cores.sh [ROUNDS]   (default 3; about 2 minutes a round)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-3}"
cores="$(nproc)"
if [ "$cores" -lt 2 ]; then
  echo "needs at least 2 cores, this machine has $cores" >&2
  exit 1
fi
port="${PORT:-18080}"

./mvnw -q -DskipTests -Dspotless.check.skip=true -pl inference-service -am install

MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=262144 PORT="$port" \
  taskset -c 0 java -Xmx768m -jar inference-service/target/inference-service-*-exec.jar \
  --inference.model.intra-op-threads=1 >inference-service/target/overload-service.log 2>&1 &
service=$!
trap 'kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true' EXIT

taskset -c "1-$((cores - 1))" ./mvnw -q -pl inference-service test -Dgroups=benchmark \
  -Dsurefire.excludedGroups= -Dtest='PredictLoadBenchmark#measure' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark.url="http://127.0.0.1:$port" \
  -Dbenchmark.concurrency=32 -Dbenchmark.overload-rounds="$rounds"
echo "tables: inference-service/target/benchmark/predict-load-running.md"
