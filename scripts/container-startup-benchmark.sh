#!/usr/bin/env bash
# Time to ready of both service images as built, without C1-only compilation and without their
# start-up cache (the AOT cache on Java 25+, the class data sharing archive before), in one run:
# from `docker run` to the first 200 of the readiness endpoint, polled every 50 ms.
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

# Seconds from `docker run` to ready. Arguments: the image, then `docker run` options; a command in
# the array `command` replaces the image's.
command=()
time_to_ready() {
  local image=$1; shift
  local start end id
  start=$(date +%s.%N)
  id=$(docker run -d -p "$port:8080" "$@" "$image" "${command[@]}")
  until curl -sf -o /dev/null "localhost:$port/actuator/health/readiness"; do sleep 0.05; done
  end=$(date +%s.%N)
  docker rm -f "$id" >/dev/null
  printf "%.1f" "$(echo "$end - $start" | bc)"
}

# The image as built, then without C1-only compilation, then without the start-up cache.
java_options=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' \
  startup-benchmark/inference-service | sed -n 's/^JAVA_TOOL_OPTIONS=//p')
tiered="${java_options/ -XX:TieredStopAtLevel=1/}"
echo "| image | base | start-up cache | JIT | seconds to ready (each run) |"
echo "|---|---|---|---|---|"
for service in inference-service website-service; do
  for variant in "on|C1" "on|C1+C2" "off|C1"; do
    times=()
    for _ in $(seq "$runs"); do
      case "$variant" in
        "on|C1") times+=("$(time_to_ready "startup-benchmark/$service")") ;;
        "on|C1+C2")
          times+=("$(time_to_ready "startup-benchmark/$service" -e "JAVA_TOOL_OPTIONS=$tiered")") ;;
        "off|C1")
          # The image's own flags but the cache's.
          command=(-c 'grep -v -e -XX:AOTCache= -e -XX:SharedArchiveFile= startup.args \
            > /tmp/no-cache.args; exec java @/tmp/no-cache.args -jar app.jar')
          times+=("$(time_to_ready "startup-benchmark/$service" --entrypoint sh)")
          command=() ;;
      esac
    done
    echo "| $service | $base | ${variant%|*} | ${variant#*|} | ${times[*]} |"
  done
done
