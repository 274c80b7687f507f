#!/usr/bin/env bash
# Time to ready of both service images, with and without their class data sharing archive, in one
# run: from `docker run` to the first 200 of the readiness endpoint, polled every 50 ms.
#   ./mvnw package -DskipTests && scripts/container-startup-benchmark.sh [BASE_IMAGE] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-eclipse-temurin:25-jre}"
runs="${2:-3}"
port=18199

for service in inference-service website-service; do
  docker build -q -f dockerfiles/service.Dockerfile --build-arg SERVICE="$service" \
    --build-arg BASE_IMAGE="$base" -t "startup-benchmark/$service" . >/dev/null
done

# Seconds from `docker run` to ready; extra arguments replace the image's java command.
time_to_ready() {
  local image=$1; shift
  local start end id
  start=$(date +%s.%N)
  if [ "$#" -gt 0 ]; then
    id=$(docker run -d -p "$port:8080" --entrypoint java "$image" "$@")
  else
    id=$(docker run -d -p "$port:8080" "$image")
  fi
  until curl -sf -o /dev/null "localhost:$port/actuator/health/readiness"; do sleep 0.05; done
  end=$(date +%s.%N)
  docker rm -f "$id" >/dev/null
  printf "%.1f" "$(echo "$end - $start" | bc)"
}

echo "| image | class data sharing | seconds to ready (each run) |"
echo "|---|---|---|"
for service in inference-service website-service; do
  for cds in on off; do
    times=()
    for _ in $(seq "$runs"); do
      if [ "$cds" = on ]; then
        times+=("$(time_to_ready "startup-benchmark/$service")")
      else
        times+=("$(time_to_ready "startup-benchmark/$service" -jar app.jar)")
      fi
    done
    echo "| $service | $cds | ${times[*]} |"
  done
done
