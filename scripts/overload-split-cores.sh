#!/usr/bin/env bash
# The inference service's overload rounds (README, "Overload") with the load generator kept off the
# service's core: run.sh starts the platform on core 0, the service with one ONNX Runtime thread, and
# the benchmarks' load generator drives it from the other cores. Needs at least 2 cores and `taskset`.
# Usage: scripts/overload-split-cores.sh [ROUNDS]   (default 3; about 2 minutes a round)
# Build first: ./mvnw -pl benchmarks,inference-service,website-service -am package -DskipTests
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

taskset -c "1-$((cores - 1))" java -jar benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar \
  --only http --url "http://127.0.0.1:$port" --clients 32 --overload-rounds "$rounds"
