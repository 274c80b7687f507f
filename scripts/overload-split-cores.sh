#!/usr/bin/env bash
# The inference service's overload rounds (README, "Overload") with the load generator kept off the
# service's core: run.sh starts the platform on core 0, the service with one ONNX Runtime thread, and
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
port="${INFERENCE_PORT:-18080}"

mkdir -p inference-service/target
INFERENCE_PORT="$port" WEBSITE_PORT="${WEBSITE_PORT:-18081}" INFERENCE_MODEL_INTRAOPTHREADS=1 \
  taskset -c 0 ./run.sh >inference-service/target/overload-service.log 2>&1 &
platform=$!
trap 'kill "$platform" 2>/dev/null || true; wait "$platform" 2>/dev/null || true' EXIT

# run.sh builds first; wait for the service, so the benchmark's own 60 s readiness wait suffices.
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break
  kill -0 "$platform" 2>/dev/null || { cat inference-service/target/overload-service.log >&2; exit 1; }
  sleep 1
done

taskset -c "1-$((cores - 1))" ./mvnw -q -pl inference-service -am test -Dgroups=benchmark \
  -Dsurefire.excludedGroups= -Dtest='PredictLoadBenchmark#measure' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark.url="http://127.0.0.1:$port" \
  -Dbenchmark.concurrency=32 -Dbenchmark.overload-rounds="$rounds"
echo "tables: inference-service/target/benchmark/predict-load-running.md"
