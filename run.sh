#!/usr/bin/env bash
# Runs the platform locally on the embedded default model:
#   website:           http://localhost:8081
#   inference service: http://localhost:8080  (Swagger UI at /swagger-ui.html)
# Needs only a JDK 17+; the Maven wrapper fetches everything else. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"

INFERENCE_PORT="${INFERENCE_PORT:-8080}"
WEBSITE_PORT="${WEBSITE_PORT:-8081}"

./mvnw -q -DskipTests -Dspotless.check.skip=true -pl inference-service,website-service -am package

pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The services' memory settings (docs/operations.md#memory-bound), defined once for run.sh and the
# images: a fixed heap for the inference service, and glibc malloc settings that give ONNX Runtime's
# freed memory back, so that hot reloads do not grow the process.
set -a
. dockerfiles/memory.env
set +a

PORT="$INFERENCE_PORT" java "$INFERENCE_HEAP" -jar inference-service/target/inference-service-*-exec.jar &
pids+=($!)
PORT="$WEBSITE_PORT" INFERENCE_URL="http://localhost:$INFERENCE_PORT" \
  java -jar website-service/target/website-service-*-exec.jar &
pids+=($!)

echo "website: http://localhost:$WEBSITE_PORT  inference API: http://localhost:$INFERENCE_PORT/swagger-ui.html"
wait -n "${pids[@]}"
