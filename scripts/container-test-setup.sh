#!/usr/bin/env bash
# Prepares a machine for the container tests: a running Docker engine and a Java base image.
# No registry is reachable on the CI machines, so the base image is built locally with debootstrap
# from Debian's package mirror (trixie and its OpenJDK 25, the Java the images default to; under a
# minute, once) and tagged jre25:local.
# Needs root (apt-get, dockerd). Idempotent: does only what is missing.
set -euo pipefail

BASE_IMAGE="${CONTAINER_BASE_IMAGE:-jre25:local}"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd"
  $sudo_cmd sh -c 'nohup dockerd --host unix:///var/run/docker.sock >/tmp/dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /tmp/dockerd.log"; exit 1; }
fi

if [ "$BASE_IMAGE" = "jre25:local" ] && ! docker image inspect jre25:local >/dev/null 2>&1; then
  echo "building the jre25:local base image with debootstrap"
  rootfs="$(mktemp -d)/rootfs"
  $sudo_cmd debootstrap --variant=minbase --include=openjdk-25-jre-headless \
    trixie "$rootfs" http://deb.debian.org/debian >/tmp/debootstrap.log 2>&1 \
    || { echo "debootstrap failed; see /tmp/debootstrap.log"; exit 1; }
  $sudo_cmd tar -C "$rootfs" -c . | docker import - jre25:local >/dev/null
  $sudo_cmd rm -rf "$(dirname "$rootfs")"
fi
echo "containers: docker $(docker version --format '{{.Server.Version}}'), base image $BASE_IMAGE"
