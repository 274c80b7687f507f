#!/usr/bin/env bash
# Runs the platform locally on the embedded default model.
#   inference service: http://localhost:8080  (Swagger UI at /swagger-ui.html)
# Needs only a JDK 17+; the Maven wrapper fetches the rest. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

./mvnw -q -DskipTests -Dspotless.check.skip=true -pl inference-service -am package

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
PORT="${INFERENCE_PORT:-8080}" java -jar inference-service/target/inference-service-*-exec.jar &
pids+=($!)
wait
